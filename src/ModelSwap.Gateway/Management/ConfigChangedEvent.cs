namespace ModelSwap.Gateway.Management;

/// <summary>A configuration was applied: which models it added, removed and changed (those restart).</summary>
internal sealed record ConfigChangedEvent(IReadOnlyList<string> Added, IReadOnlyList<string> Removed, IReadOnlyList<string> Changed);
