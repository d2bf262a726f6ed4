using System.Text;

namespace ModelSwap.Engine.Inference;

/// <summary>
/// Cuts generated text before the first stop sequence. A stop sequence can arrive split over several
/// tokens, so text that could still become one is held back until it either completes the match or
/// can no longer do so; what is returned is safe to send to the client at once.
/// </summary>
internal sealed class StopSequenceMatcher(IReadOnlyList<string> stops)
{
    private readonly string[] _stops = stops.Where(s => s.Length > 0).ToArray();
    private readonly StringBuilder _pending = new();

    public bool Stopped => Matched is not null;

    /// <summary>The stop sequence that ended the text (llama-server's `stopping_word`), once one has.</summary>
    public string? Matched { get; private set; }

    /// <summary>Adds generated text; returns the part that may be emitted now. Sets <see cref="Stopped"/> on a match.</summary>
    public string Push(string text)
    {
        if (Stopped)
            return "";
        if (_stops.Length == 0)
            return text;

        _pending.Append(text);
        var buffer = _pending.ToString();

        var cut = -1;
        string? matched = null;
        foreach (var stop in _stops)
        {
            var at = buffer.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (cut < 0 || at < cut))
            {
                cut = at;
                matched = stop;
            }
        }
        if (cut >= 0)
        {
            Matched = matched;
            _pending.Clear();
            return buffer[..cut];
        }

        var hold = 0;
        foreach (var stop in _stops)
        {
            for (var length = Math.Min(stop.Length - 1, buffer.Length); length > hold; length--)
            {
                if (buffer.AsSpan(buffer.Length - length).SequenceEqual(stop.AsSpan(0, length)))
                {
                    hold = length;
                    break;
                }
            }
        }
        _pending.Clear();
        _pending.Append(buffer, buffer.Length - hold, hold);
        return buffer[..^hold];
    }

    /// <summary>The held-back text when generation ends without a match.</summary>
    public string Flush()
    {
        var rest = _pending.ToString();
        _pending.Clear();
        return Stopped ? "" : rest;
    }
}
