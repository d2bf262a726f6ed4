namespace ModelSwap.Gateway.Monitoring;

/// <summary>A model's server (its whole process tree) at one sample.</summary>
public sealed record ModelUsage(string Model, int Pid, double CpuPercent, long ResidentBytes);
