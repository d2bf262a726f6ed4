using System.Text.Json;

namespace ModelSwap.Gateway.Routing;

/// <summary>
/// The synchronous half of <see cref="JsonStreamPump"/>: runs a Utf8JsonReader over what is buffered,
/// hands each token to the visitor and keeps, between chunks, the reader's state plus what the pump
/// must know when a long string stalls it (property name or value, and at which depth).
/// </summary>
internal sealed class JsonTokenWalker(IJsonTokenVisitor visitor)
{
    /// <summary>Comments skipped (llama.cpp accepts them); depth limited to the reader's default 64, as JsonNode was.</summary>
    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Skip };

    private readonly bool[] _inObject = new bool[72];
    private JsonReaderState _state = new(Options);
    private JsonTokenType _last = JsonTokenType.None;
    private int _lastDepth;
    private bool _standIn;

    public bool Started => _last != JsonTokenType.None;

    /// <summary>The reader depth of the token that comes next.</summary>
    public int NextDepth => _last is JsonTokenType.StartObject or JsonTokenType.StartArray ? _lastDepth + 1 : _lastDepth;

    /// <summary>The token that comes next is a property name (inside an object, not right after a name).</summary>
    public bool ExpectsPropertyName => Started && _last != JsonTokenType.PropertyName && NextDepth > 0 && _inObject[NextDepth];

    /// <summary>The next string token is the pump's short stand-in for a long string the visitor already had.</summary>
    public void ExpectStandIn() => _standIn = true;

    /// <summary>Reads what <paramref name="data"/> holds; returns how many bytes were consumed.</summary>
    public int Feed(ReadOnlySpan<byte> data, bool isFinalBlock)
    {
        try
        {
            var reader = new Utf8JsonReader(data, isFinalBlock, _state);
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
            return (int)reader.BytesConsumed;
        }
        catch (JsonException ex)
        {
            throw new BadRequestException($"request body is not valid JSON: {ex.Message}");
        }
        catch (InvalidOperationException ex)
        {
            // Reading a string that is not valid UTF-8 (or holds a lone surrogate) as text.
            throw new BadRequestException($"request body is not valid JSON: {ex.Message}");
        }
    }
}
