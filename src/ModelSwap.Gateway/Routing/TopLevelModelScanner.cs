using System.Text.Json;

namespace ModelSwap.Gateway.Routing;

/// <summary>
/// Picks out a JSON body's top-level "model" string and whether its top-level "stream" is true as
/// <see cref="JsonStreamPump"/> reads it, keeping nothing else (a "stream" inside a message or a tool's
/// schema is not the request's). Duplicate keys keep the last value, as most JSON parsers do.
/// </summary>
internal sealed class TopLevelModelScanner : IJsonTokenVisitor
{
    private bool _started;
    private bool _modelNext;
    private bool _streamNext;
    private string? _model;

    public string? Model => string.IsNullOrWhiteSpace(_model) ? null : _model;

    /// <summary>The top-level "stream" is the JSON literal true (a string "true" is not, as OpenAI's API reads it).</summary>
    public bool Streams { get; private set; }

    public void OnToken(ref Utf8JsonReader reader)
    {
        if (!_started)
        {
            _started = true;
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw new BadRequestException("request body must be a JSON object");
            }
            return;
        }
        if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName)
        {
            _modelNext = reader.ValueTextEquals("model"u8);
            _streamNext = reader.ValueTextEquals("stream"u8);
            return;
        }
        if (_streamNext && reader.CurrentDepth == 1)
        {
            _streamNext = false;
            Streams = reader.TokenType == JsonTokenType.True;
            return;
        }
        if (_modelNext && reader.CurrentDepth == 1)
        {
            _modelNext = false;
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new BadRequestException("\"model\" must be a string");
            }
            _model = reader.GetString();
        }
    }

    public void OnLongStringStart(bool isPropertyName, int depth)
    {
        if (depth != 1)
        {
            return;
        }
        if (!isPropertyName && _modelNext)
        {
            throw new BadRequestException($"\"model\" is longer than {JsonStreamPump.ChunkSize} bytes");
        }
        if (!isPropertyName && _streamNext)
        {
            Streams = false;
        }
        _modelNext = false;
        _streamNext = false;
    }

    public void OnLongStringSegment(ReadOnlySpan<byte> content, bool last)
    {
    }

    /// <summary>Scans a whole body held in memory.</summary>
    public static TopLevelModelScanner Scan(ReadOnlySpan<byte> json)
    {
        var scanner = new TopLevelModelScanner();
        new JsonTokenWalker(scanner).Feed(json, isFinalBlock: true);
        return scanner;
    }
}
