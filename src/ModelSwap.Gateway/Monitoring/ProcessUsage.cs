namespace ModelSwap.Gateway.Monitoring;

/// <summary>One process (or process tree) at one sample.</summary>
/// <param name="CpuPercent">CPU time used since the previous sample over the time between them; 100 is one core busy.</param>
/// <param name="ResidentBytes">Resident memory now.</param>
public sealed record ProcessUsage(double CpuPercent, long ResidentBytes);
