namespace ModelSwap.Gateway.Management;

/// <summary>GET /api/status: the service as a whole.</summary>
/// <param name="Config">The config file served; for a generated config the file it was written to.</param>
/// <param name="ConfigGenerated">True when the config is generated from the models folders (serve without --config).</param>
/// <param name="ModelsDirs">The models folders (the first receives downloads).</param>
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
    int Loaded)
{
    /// <summary>What running models may use together (<c>memoryBudget</c>, else physical memory minus <c>memoryReserve</c>).</summary>
    public long? MemoryBudgetBytes { get; init; }

    /// <summary>What the running models are counted for against the budget now.</summary>
    public long? MemoryUsedBytes { get; init; }
}
