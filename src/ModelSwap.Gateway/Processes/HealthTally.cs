using System.Globalization;

namespace ModelSwap.Gateway.Processes;

/// <summary>
/// Counts a readiness probe's outcomes so a failing check is logged once per distinct outcome, with
/// a count and a span ("/health answered HTTP 404 × 15,495 in 60 s"), never once per attempt.
/// </summary>
internal sealed class HealthTally
{
    private readonly Dictionary<string, int> _totals = new(StringComparer.Ordinal);
    private readonly List<string> _order = [];
    private string? _current;
    private int _currentCount;
    private long _currentSince;

    /// <summary>Records one outcome; returns the summary of the run it ends, when the outcome changed.</summary>
    public string? Record(string outcome, long timestamp, TimeProvider time)
    {
        string? ended = null;
        if (!string.Equals(outcome, _current, StringComparison.Ordinal))
        {
            ended = Flush(timestamp, time);
            _current = outcome;
            _currentCount = 0;
            _currentSince = timestamp;
        }
        _currentCount++;
        if (_totals.TryAdd(outcome, 0))
        {
            _order.Add(outcome);
        }
        _totals[outcome]++;
        return ended;
    }

    /// <summary>The summary of the run in progress (at the end of the probe), or null when there was none.</summary>
    public string? Flush(long now, TimeProvider time)
    {
        if (_current is null || _currentCount == 0)
        {
            return null;
        }
        var seconds = time.GetElapsedTime(_currentSince, now).TotalSeconds;
        var text = $"{_current} × {_currentCount.ToString("N0", CultureInfo.InvariantCulture)} in {seconds.ToString("0.#", CultureInfo.InvariantCulture)} s";
        _currentCount = 0;
        return text;
    }

    /// <summary>Every outcome seen with its total, most recent kinds last: "connection refused × 3, HTTP 404 × 15,495".</summary>
    public string Totals() => _order.Count == 0
        ? "no attempt"
        : string.Join(", ", _order.Select(o => $"{o} × {_totals[o].ToString("N0", CultureInfo.InvariantCulture)}"));
}
