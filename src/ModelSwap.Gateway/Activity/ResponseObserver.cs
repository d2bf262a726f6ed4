namespace ModelSwap.Gateway.Activity;

/// <summary>
/// Watches an answer pass on its way to the client and reads its facts (<see cref="GenerationFacts"/>)
/// without holding it: an SSE stream line by line (each <c>data:</c> line one JSON value, a line
/// longer than <see cref="MaxLineBytes"/> skipped), a JSON body token by token. Never throws: an
/// answer it cannot read is passed on all the same and simply yields fewer facts.
/// </summary>
internal sealed class ResponseObserver
{
    public const int MaxLineBytes = 256 * 1024;

    private readonly JsonFactWalker _walker;
    private readonly byte[] _line = new byte[4096];
    private byte[] _lineBuffer;
    private int _lineLength;
    private bool _skippingLine;
    private Mode _mode = Mode.Unknown;

    public ResponseObserver(TimeProvider time)
    {
        _lineBuffer = _line;
        _walker = new JsonFactWalker(Facts, time);
    }

    private enum Mode
    {
        Unknown,
        Sse,
        Json,
        Other,
    }

    public GenerationFacts Facts { get; } = new();

    /// <summary>How much of the raw answer is kept (an error's body, an answer with no text).</summary>
    public const int HeadBytes = 2 * 1024;

    private readonly byte[] _head = new byte[HeadBytes];
    private int _headLength;

    /// <summary>The first <see cref="HeadBytes"/> of the answer as text.</summary>
    public string Head => System.Text.Encoding.UTF8.GetString(_head, 0, _headLength);

    /// <summary>True when the answer was longer than <see cref="Head"/>.</summary>
    public bool HeadTruncated => Bytes > _headLength;

    /// <summary>Bytes of the answer seen.</summary>
    public long Bytes { get; private set; }

    /// <summary>True when the answer was a server-sent event stream.</summary>
    public bool Streamed => _mode == Mode.Sse;

    /// <summary>SSE lines skipped for their size.</summary>
    public int SkippedLines { get; private set; }

    /// <summary>Sets how the answer is read from its content type; without one, its first byte decides.</summary>
    public void Start(string? contentType)
    {
        if (_mode != Mode.Unknown || contentType is null)
        {
            return;
        }
        if (contentType.Contains("event-stream", StringComparison.OrdinalIgnoreCase))
        {
            _mode = Mode.Sse;
        }
        else if (contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            _mode = Mode.Json;
        }
        else
        {
            _mode = Mode.Other;
        }
    }

    public void Observe(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }
        Bytes += bytes.Length;
        var take = Math.Min(HeadBytes - _headLength, bytes.Length);
        bytes[..take].CopyTo(_head.AsSpan(_headLength));
        _headLength += take;
        try
        {
            if (_mode == Mode.Unknown)
            {
                _mode = Sniff(bytes);
            }
            switch (_mode)
            {
                case Mode.Sse:
                    ObserveLines(bytes);
                    break;
                case Mode.Json:
                    _walker.Feed(bytes, final: false);
                    break;
            }
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException)
        {
            // A fact reader must never break the answer it watches.
            _mode = Mode.Other;
        }
    }

    /// <summary>The answer ended: a last line without its newline is read too.</summary>
    public void Complete()
    {
        if (_mode == Mode.Sse && _lineLength > 0 && !_skippingLine)
        {
            OnLine(_lineBuffer.AsSpan(0, _lineLength));
        }
        _lineLength = 0;
    }

    private static Mode Sniff(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            switch (b)
            {
                case (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n':
                    continue;
                case (byte)'{' or (byte)'[':
                    return Mode.Json;
                case (byte)'d' or (byte)':' or (byte)'e':
                    return Mode.Sse;
                default:
                    return Mode.Other;
            }
        }
        return Mode.Unknown;
    }

    private void ObserveLines(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var newline = bytes.IndexOf((byte)'\n');
            var part = newline < 0 ? bytes : bytes[..newline];
            if (_skippingLine)
            {
                // the rest of an oversized line: dropped
            }
            else if (_lineLength == 0 && newline >= 0)
            {
                OnLine(part); // a whole line inside this chunk: read in place, no copy
            }
            else if (_lineLength + part.Length > MaxLineBytes)
            {
                _skippingLine = true;
                _lineLength = 0;
                SkippedLines++;
            }
            else
            {
                Append(part);
                if (newline >= 0)
                {
                    OnLine(_lineBuffer.AsSpan(0, _lineLength));
                }
            }
            if (newline < 0)
            {
                return;
            }
            _lineLength = 0;
            _skippingLine = false;
            _lineBuffer = _line; // a big line's buffer is not kept for the rest of the stream
            bytes = bytes[(newline + 1)..];
        }
    }

    private void Append(ReadOnlySpan<byte> part)
    {
        if (_lineBuffer.Length < _lineLength + part.Length)
        {
            var bigger = new byte[Math.Min(MaxLineBytes, Math.Max(_lineLength + part.Length, _lineBuffer.Length * 2))];
            _lineBuffer.AsSpan(0, _lineLength).CopyTo(bigger);
            _lineBuffer = bigger;
        }
        part.CopyTo(_lineBuffer.AsSpan(_lineLength));
        _lineLength += part.Length;
    }

    private void OnLine(ReadOnlySpan<byte> line)
    {
        if (line.Length > MaxLineBytes)
        {
            SkippedLines++;
            return;
        }
        if (!line.IsEmpty && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }
        if (!line.StartsWith("data:"u8))
        {
            return; // event:, id:, comments and blank separators carry no facts
        }
        var payload = line[5..].TrimStart((byte)' ');
        if (payload.IsEmpty || payload.SequenceEqual("[DONE]"u8))
        {
            return;
        }
        _walker.Reset();
        _walker.Feed(payload, final: true);
    }

    /// <summary>The buffer held for an unfinished line (tests: memory stays bounded).</summary>
    internal int HeldLineBytes => _lineBuffer.Length;
}
