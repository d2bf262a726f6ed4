using System.Collections.Immutable;

namespace ModelSwap.Core.Catalog;

/// <summary>Choices the config generator applies to every model (per-model overrides come from models.yaml).</summary>
public sealed record GeneratorSettings
{
    /// <summary>llama-server to run models with; null means the built-in engine.</summary>
    public string? LlamaServerPath { get; init; }
    /// <summary>How to run the built-in engine: the modelswap executable (and, under `dotnet`, its dll).</summary>
    public ImmutableArray<string> EngineCommand { get; init; } = ["modelswap"];
    /// <summary>The context size is the smaller of the model's trained context and this cap.</summary>
    public int ContextCap { get; init; } = 8192;
    /// <summary>Idle time before a model is unloaded; zero never unloads.</summary>
    public TimeSpan Ttl { get; init; } = TimeSpan.FromSeconds(300);
    /// <summary>llama-server -ngl on a GPU build; null offloads every layer. A CPU build gets no GPU flags.</summary>
    public int? GpuLayers { get; init; }
    /// <summary>The llama-server found can use a GPU (<see cref="GpuDetection"/>): commands offload layers to it.</summary>
    public bool LlamaServerGpu { get; init; }
    /// <summary>The llama-server found drafts only with <c>--spec-type</c> (<see cref="LocatedBinary.HasSpecType"/>).</summary>
    public bool LlamaServerSpecType { get; init; }
    public TimeSpan HealthCheckTimeout { get; init; } = TimeSpan.FromSeconds(120);
    public int StartPort { get; init; } = 5800;
    /// <summary>
    /// The memory budget contexts are sized to (<c>ctx-size: auto</c>); null sizes them by the cap only.
    /// </summary>
    public long? MemoryBudget { get; init; }
    /// <summary>memoryBudget / memoryReserve from models.yaml, written into the generated config so serve uses the same budget.</summary>
    public long? MemoryBudgetSetting { get; init; }
    public long? MemoryReserveSetting { get; init; }
    /// <summary>Threads for the built-in engine; null leaves its default (the physical cores, as llama-server).</summary>
    public int? EngineThreads { get; init; }
}
