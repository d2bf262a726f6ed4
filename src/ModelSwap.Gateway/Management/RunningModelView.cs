namespace ModelSwap.Gateway.Management;

/// <summary>A model of <see cref="ServiceStatusView.Running"/>: its id and state (starting, ready, stopping).</summary>
public sealed record RunningModelView(string Model, string State);
