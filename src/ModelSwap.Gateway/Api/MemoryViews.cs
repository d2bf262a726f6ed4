using System.Text.Json.Nodes;
using ModelSwap.Gateway.Swapping;

namespace ModelSwap.Gateway.Api;

/// <summary>The memory and queue facts of a model's status as JSON, for /running.</summary>
internal static class MemoryViews
{
    /// <summary><c>{estimate, estimateDetail, budgeted, source, resident, peak, gpu}</c> in bytes; null members are unknown.</summary>
    public static JsonObject Memory(ModelStatus status) => new()
    {
        ["estimate"] = status.Estimate?.TotalBytes,
        ["estimateDetail"] = status.Estimate is { } e
            ? new JsonObject
            {
                ["weights"] = e.WeightBytes,
                ["kvCache"] = e.KvCacheBytes,
                ["compute"] = e.ComputeBytes,
                ["runtime"] = e.RuntimeBytes,
                ["gpu"] = e.GpuBytes,
                ["contextTokens"] = e.ContextTokens,
            }
            : null,
        ["budgeted"] = status.BudgetedBytes,
        ["source"] = status.BudgetSource,
        ["resident"] = status.Measured?.ResidentBytes,
        ["peak"] = status.Measured?.PeakResidentBytes,
        ["gpu"] = status.Measured?.GpuBytes,
    };

    /// <summary>The model's queued requests: <c>[{position, waitSeconds}]</c>.</summary>
    public static JsonArray Queue(ModelStatus status, DateTimeOffset now) =>
        new([.. status.QueuedRequests.Select(q => (JsonNode)new JsonObject
        {
            ["position"] = q.Position,
            ["waitSeconds"] = Math.Round(Math.Max(0, (now - q.Since).TotalSeconds), 3),
        })]);

    /// <summary>The budget and what running models are counted for.</summary>
    public static JsonObject Budget(ModelCoordinator coordinator, IReadOnlyList<ModelStatus> statuses)
    {
        var budget = coordinator.Budget;
        return new JsonObject
        {
            ["budget"] = budget.RamBytes,
            ["gpuBudget"] = budget.GpuBytes,
            ["gpuTool"] = coordinator.System.Gpu.Tool,
            ["used"] = statuses.Where(s => s.State != ModelState.Stopped)
                .Sum(s => Math.Max(s.BudgetedBytes ?? 0, s.BudgetSource == "config" ? 0 : s.Measured?.ResidentBytes ?? 0)),
        };
    }
}
