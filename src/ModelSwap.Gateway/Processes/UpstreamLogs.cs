namespace ModelSwap.Gateway.Processes;

/// <summary>
/// The combined output of every model server (what <c>/logs</c> and <c>/logs/stream</c> show), each
/// line prefixed with <c>[model-id] </c>. Bounded like every ring: a chatty server cannot grow memory.
/// </summary>
public sealed class UpstreamLogs
{
    public const int DefaultCapacity = 2000;

    public UpstreamLogs() : this(DefaultCapacity)
    {
    }

    public UpstreamLogs(int capacity) => Ring = new LogRing(capacity);

    public LogRing Ring { get; }

    /// <summary>Raised for every line after it is stored (the gateway's combined /logs view follows it).</summary>
    public event Action<string>? LineAppended;

    /// <summary>Applied to every line before it is stored, so every reader (/logs, events, the dashboard) sees it redacted.</summary>
    public Func<string, string> Redact { get; set; } = static line => line;

    public void Append(string modelId, string line)
    {
        var tagged = $"[{modelId}] {Redact(line)}";
        Ring.Append(tagged);
        LineAppended?.Invoke(tagged);
    }

    /// <inheritdoc cref="LogRing.Snapshot"/>
    public IReadOnlyList<string> Snapshot(int max = int.MaxValue) => Ring.Snapshot(max);

    /// <inheritdoc cref="LogRing.FollowAsync"/>
    public IAsyncEnumerable<string> FollowAsync(CancellationToken cancellationToken) => Ring.FollowAsync(cancellationToken);
}
