using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ModelSwap.Gateway.Routing;

/// <summary>
/// The synchronous half of <see cref="JsonStreamPump"/>: runs a Utf8JsonReader over what is buffered,
/// hands each token to the visitor and keeps, between chunks, the reader's state plus what the pump
/// must know when a long string stalls it (property name or value, and at which depth). It also keeps
/// where the buffered bytes sit in the body as sent, so an error names its true line, column and byte
/// even after long strings the reader only saw as a two-byte stand-in.
/// </summary>
internal sealed partial class JsonTokenWalker(IJsonTokenVisitor visitor)
{
    /// <summary>Comments skipped (llama.cpp accepts them); depth limited to the reader's default 64, as JsonNode was.</summary>
    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Skip };

    private readonly bool[] _inObject = new bool[72];
    private JsonReaderState _state = new(Options);
    private JsonTokenType _last = JsonTokenType.None;
    private int _lastDepth;
    private bool _standIn;

    // Where the next Feed's data[0] is: in the body as sent, and as the reader counts (a stand-in is 2 bytes).
    private long _position;
    private long _readerPosition;
    private long _line;
    private long _lineStart;
    private long _readerLineStart;
    private int _standInAt = -1;
    private long _standInExtra;

    public bool Started => _last != JsonTokenType.None;

    /// <summary>The reader depth of the token that comes next.</summary>
    public int NextDepth => _last is JsonTokenType.StartObject or JsonTokenType.StartArray ? _lastDepth + 1 : _lastDepth;

    /// <summary>The token that comes next is a property name (inside an object, not right after a name).</summary>
    public bool ExpectsPropertyName => Started && _last != JsonTokenType.PropertyName && NextDepth > 0 && _inObject[NextDepth];

    /// <summary>The next data still holds a stand-in the reader has not consumed.</summary>
    public bool HoldsStandIn => _standInAt >= 0;

    /// <summary>
    /// The next data holds at <paramref name="at"/> the pump's two-byte stand-in for a long string the
    /// visitor already had, whose content was <paramref name="contentLength"/> bytes.
    /// </summary>
    public void ExpectStandIn(int at, long contentLength)
    {
        _standIn = true;
        _standInAt = at;
        _standInExtra = contentLength;
    }

    /// <summary>The offset in the body as sent of <c>data[index]</c> of the next Feed.</summary>
    public long OffsetOf(int index) => _position + index + (_standInAt >= 0 && index >= _standInAt + 2 ? _standInExtra : 0);

    /// <summary>The line (0-based) of <c>data[index]</c> of the next Feed, and the body offset where that line starts.</summary>
    public (long Line, long LineStart) LineOf(ReadOnlySpan<byte> data, int index)
    {
        var before = data[..index];
        var last = before.LastIndexOf((byte)'\n');
        return last < 0 ? (_line, _lineStart) : (_line + before.Count((byte)'\n'), OffsetOf(last + 1));
    }

    /// <summary>"line L, column C (byte B)": 1-based line and column (in bytes, as the reader counts), 0-based body offset.</summary>
    public static string Where(long line, long lineStart, long offset) =>
        string.Create(CultureInfo.InvariantCulture, $"line {line + 1}, column {offset - lineStart + 1} (byte {offset})");

    /// <summary>Reads what <paramref name="data"/> holds; returns how many bytes were consumed.</summary>
    public int Feed(ReadOnlySpan<byte> data, bool isFinalBlock)
    {
        var reader = new Utf8JsonReader(data, isFinalBlock, _state);
        try
        {
            while (reader.Read())
            {
                var type = reader.TokenType;
                var depth = reader.CurrentDepth;
                if (type is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    _inObject[depth + 1] = type == JsonTokenType.StartObject;
                }
                if (_standIn)
                {
                    _standIn = false;
                }
                else
                {
                    visitor.OnToken(ref reader);
                }
                _last = type;
                _lastDepth = depth;
            }
            if (isFinalBlock && !Started)
            {
                throw new BadRequestException("request body must be a JSON object");
            }
            _state = reader.CurrentState;
            var consumed = (int)reader.BytesConsumed;
            Advance(data[..consumed]);
            return consumed;
        }
        catch (JsonException ex)
        {
            var index = ex.LineNumber is { } line && ex.BytePositionInLine is { } column ? IndexOf(data, line, column) : (int)reader.TokenStartIndex;
            throw Invalid(data, index, WithoutPosition(ex.Message));
        }
        catch (InvalidOperationException ex)
        {
            // A visitor read a string that is not valid UTF-8 (or holds a lone surrogate) as text: the string is named.
            throw Invalid(data, (int)reader.TokenStartIndex, ex.Message);
        }
    }

    /// <summary>The 400 for invalid JSON at <c>data[index]</c>.</summary>
    public BadRequestException Invalid(ReadOnlySpan<byte> data, int index, string reason)
    {
        var (line, lineStart) = LineOf(data, index);
        return new BadRequestException($"request body is not valid JSON at {Where(line, lineStart, OffsetOf(index))}: {reason}");
    }

    /// <summary>The reader's own "LineNumber: 0 | BytePositionInLine: 12." counts the stand-ins as 2 bytes and lines from 0: dropped.</summary>
    public static string WithoutPosition(string message) => ReaderPosition().Replace(message, "");

    /// <summary>Moves past the consumed bytes: their newlines start lines; a consumed stand-in adds its long string's length.</summary>
    private void Advance(ReadOnlySpan<byte> consumed)
    {
        var last = consumed.LastIndexOf((byte)'\n');
        if (last >= 0)
        {
            _line += consumed.Count((byte)'\n');
            _lineStart = OffsetOf(last + 1);
            _readerLineStart = _readerPosition + last + 1;
        }
        _position = OffsetOf(consumed.Length);
        _readerPosition += consumed.Length;
        if (_standInAt >= 0)
        {
            _standInAt = consumed.Length >= _standInAt + 2 ? -1 : _standInAt - consumed.Length;
        }
    }

    /// <summary>The index in <paramref name="data"/> of the reader's (line, byte in line), both as the reader counts.</summary>
    private int IndexOf(ReadOnlySpan<byte> data, long line, long column)
    {
        var lineStart = _readerLineStart - _readerPosition;
        for (var skip = line - _line; skip > 0; skip--)
        {
            var next = data[(int)Math.Max(lineStart, 0)..].IndexOf((byte)'\n');
            if (next < 0)
            {
                return data.Length;
            }
            lineStart = Math.Max(lineStart, 0) + next + 1;
        }
        return (int)Math.Clamp(lineStart + column, 0, data.Length);
    }

    [GeneratedRegex(@"\s*LineNumber: \d+ \| BytePositionInLine: \d+\.?\s*$")]
    private static partial Regex ReaderPosition();
}
