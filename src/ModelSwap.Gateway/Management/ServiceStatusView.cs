namespace ModelSwap.Gateway.Management;

/// <summary>GET /api/status: the service as a whole.</summary>
/// <param name="Config">The config file served; for a generated config the file it was written to.</param>
/// <param name="ConfigGenerated">True when the config is generated from the models folders (serve without --config).</param>
/// <param name="ModelsDirs">The models folders (the first receives downloads).</param>
/// <param name="Pid">The service's process id (what `modelswap stop` ends).</param>
/// <param name="Loaded">How many models are ready.</param>
/// <param name="Running">Every model not stopped, with its state (starting, ready, stopping).</param>
public sealed record ServiceStatusView(
    string Version,
    DateTimeOffset StartedAt,
    double UptimeSeconds,
    string ListenUrl,
    string? Config,
    bool ConfigGenerated,
    IReadOnlyList<string> ModelsDirs,
    RuntimeView Runtime,
    MachineView Machine,
    int Models,
    int Loaded,
    int Pid,
    IReadOnlyList<RunningModelView> Running)
{
    /// <summary>What running models may use together (<c>memoryBudget</c>, else physical memory minus <c>memoryReserve</c>).</summary>
    public long? MemoryBudgetBytes { get; init; }

    /// <summary>What the running models are counted for against the budget now.</summary>
    public long? MemoryUsedBytes { get; init; }
}
