using System.Collections.Immutable;
using ModelSwap.Core.Configuration;
using ModelSwap.Core.Memory;
using ModelSwap.Gateway.Processes;

namespace ModelSwap.Gateway.Swapping;

/// <summary>
/// The memory side of the coordinator's loop: what each model needs, what the budget is, and the
/// <see cref="MemoryPolicy"/> decision for a model about to start. Loop-owned, like the scheduler.
/// Estimates are read from GGUF headers once per model definition and cached.
/// </summary>
internal sealed class MemoryGate
{
    private readonly SystemMemory _system;
    private readonly Dictionary<string, Footprint?> _estimates = new(StringComparer.Ordinal);

    public MemoryGate(SystemMemory system)
    {
        _system = system;
    }

    public SystemMemory System => _system;

    public MemoryBudget BudgetFor(ModelSwapConfig config) =>
        new(config.MemoryBudget ?? Math.Max(0, _system.PhysicalBytes - config.MemoryReserve), _system.Gpu.TotalBytes);

    /// <summary>The estimate for a model's definition; null for a command ModelSwap cannot read or a file it cannot open.</summary>
    public Footprint? EstimateFor(ModelConfig model)
    {
        var key = model.RuntimeFingerprint;
        if (_estimates.TryGetValue(key, out var cached))
        {
            return cached;
        }
        Footprint? estimate = null;
        var command = ServerCommand.Parse(model.Command);
        if (command.Kind != ServerKind.Custom && command.ModelPath is { } path)
        {
            try
            {
                var shape = ModelShapeReader.Read(path, command.ProjectorPath);
                estimate = FootprintEstimator.Estimate(shape, command, _system.Gpu.TotalBytes is not null);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or Core.Catalog.Gguf.GgufFormatException)
            {
                // The start reports an unreadable model file with the server's own words.
                estimate = null;
            }
        }
        _estimates[key] = estimate;
        return estimate;
    }

    /// <summary>What the budget counts for a model, and why: memory:, a learned peak, or the estimate.</summary>
    public (MemoryNeed Need, string Source) NeedOf(ModelEntry entry)
    {
        var model = entry.Run?.Model ?? entry.Model;
        if (model.Memory is { } declared)
        {
            return (new MemoryNeed(declared, 0), "config");
        }
        var estimate = entry.Run?.Estimate ?? EstimateFor(model);
        if (entry.LearnedPeak is var (peak, fingerprint) && fingerprint == model.RuntimeFingerprint)
        {
            // A real run's peak refines the estimate; GPU memory stays as estimated (RAM is what was measured).
            var gpu = estimate?.GpuBytes ?? 0;
            return (new MemoryNeed(peak, gpu), "measured");
        }
        if (estimate is not null)
        {
            return (new MemoryNeed(estimate.RamBytes, estimate.GpuBytes), "estimate");
        }
        return (default, "unknown");
    }

    /// <summary>What a running model holds now: its need, or more when measured higher (unless declared).</summary>
    public MemoryNeed HeldBy(ModelEntry entry)
    {
        var (need, source) = NeedOf(entry);
        if (source != "config" && entry.Run?.Measured is { } measured)
        {
            need = new MemoryNeed(Math.Max(need.RamBytes, measured.ResidentBytes), Math.Max(need.GpuBytes, measured.GpuBytes ?? 0));
        }
        return need;
    }

    public MemoryDecision Plan(ModelEntry target, IEnumerable<ModelEntry> entries, WaitQueue queue,
        ImmutableArray<string> groupEvictions, ModelSwapConfig config)
    {
        var residents = new List<MemoryResident>();
        foreach (var entry in entries)
        {
            if (entry.State == ModelState.Stopped || ReferenceEquals(entry, target))
            {
                continue;
            }
            residents.Add(new MemoryResident(entry.Id, HeldBy(entry), entry.LastUsed,
                Stopping: entry.State == ModelState.Stopping,
                Persistent: entry.InConfig && config.GroupOf(entry.Id).Persistent,
                Wanted: queue.Has(entry.Id)));
        }
        return MemoryPolicy.Decide(NeedOf(target).Need, residents, groupEvictions, BudgetFor(config));
    }

    /// <summary>Records a measurement on the run it is about; a run that served requests teaches its model its peak.</summary>
    public void OnMeasured(SortedDictionary<string, ModelEntry> entries, CoordinatorMessage.MemoryMeasured message)
    {
        if (!entries.TryGetValue(message.ModelId, out var entry) || entry.Run is not { } run || run.Process.ProcessId != message.Pid)
        {
            return; // a stale sample of a run that has ended
        }
        run.Measured = message.Memory;
        if (entry.State == ModelState.Starting)
        {
            run.LoadProgress = message.LoadProgress;
        }
        if (run.Served && message.Memory.PeakResidentBytes > 0)
        {
            // The kernel's VmHWM is already this run's peak; the latest run replaces older ones.
            entry.LearnedPeak = (message.Memory.PeakResidentBytes, run.Model.RuntimeFingerprint);
        }
    }

    /// <summary>What a pending start waits for, in words, for loading messages and /running.</summary>
    public static string? Describe(MemoryDecision? memory, ImmutableArray<string> groupEvictions, SortedDictionary<string, ModelEntry> entries)
    {
        var parts = new List<string>();
        foreach (var id in groupEvictions)
        {
            parts.Add(Stopping(entries[id]));
        }
        if (memory is not null)
        {
            var freeing = memory.Evictions.Where(id => !groupEvictions.Contains(id)).ToList();
            if (freeing.Count > 0)
            {
                parts.Add($"{string.Join(", ", freeing.Select(id => Stopping(entries[id])))} to free {ByteSize.Format(memory.Freed.TotalBytes)}");
            }
            if (memory.Outcome == MemoryOutcome.Wait)
            {
                parts.Add("memory held by models with queued requests");
            }
        }
        return parts.Count == 0 ? null : string.Join("; ", parts);
    }

    private static string Stopping(ModelEntry entry) =>
        entry.InFlight > 0 ? $"stopping {entry.Id} after its {entry.InFlight} request(s) in flight" : $"stopping {entry.Id}";
}
