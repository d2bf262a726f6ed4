using System.Threading.Channels;

namespace ModelSwap.Gateway.Processes;

/// <summary>
/// A bounded, thread-safe buffer of log lines with live followers. Old lines fall off the front so a
/// chatty process can never grow memory; a follower that reads too slowly loses lines, never blocks
/// the writer.
/// </summary>
public sealed class LogRing
{
    private readonly object _gate = new();
    private readonly Queue<string> _lines;
    private readonly List<ChannelWriter<string>> _followers = [];
    private long _appended;

    public LogRing(int capacity = 1000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        _lines = new Queue<string>(capacity);
    }

    public int Capacity { get; }

    public void Append(string line)
    {
        lock (_gate)
        {
            if (_lines.Count == Capacity)
            {
                _lines.Dequeue();
            }
            _lines.Enqueue(line);
            _appended++;
            foreach (var follower in _followers)
            {
                follower.TryWrite(line);
            }
        }
    }

    /// <summary>The newest <paramref name="max"/> lines, oldest first.</summary>
    public IReadOnlyList<string> Snapshot(int max = int.MaxValue)
    {
        lock (_gate)
        {
            return _lines.Skip(Math.Max(0, _lines.Count - max)).ToArray();
        }
    }

    /// <summary>
    /// The newest <paramref name="max"/> lines numbered above <paramref name="since"/> (lines are
    /// numbered from 1 in the order appended), oldest first, and the number of the last line appended
    /// (the cursor for the next call).
    /// </summary>
    public (string[] Lines, long Last) SnapshotSince(long since, int max)
    {
        lock (_gate)
        {
            var first = _appended - _lines.Count + 1;
            var skip = Math.Max(0, since - first + 1);
            var available = Math.Max(0, _lines.Count - skip);
            var take = (int)Math.Min(available, Math.Max(0, max));
            return ([.. _lines.Skip(_lines.Count - take)], _appended);
        }
    }

    /// <summary>The lines already held, then every new line until cancelled.</summary>
    public async IAsyncEnumerable<string> FollowAsync(
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(Capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        string[] backlog;
        lock (_gate)
        {
            backlog = [.. _lines];
            _followers.Add(channel.Writer);
        }
        try
        {
            foreach (var line in backlog)
            {
                yield return line;
            }
            await foreach (var line in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return line;
            }
        }
        finally
        {
            lock (_gate)
            {
                _followers.Remove(channel.Writer);
            }
        }
    }
}
