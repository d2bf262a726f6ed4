using System.Text.Json;

namespace ModelSwap.Gateway.Routing;

/// <summary>
/// Validates a JSON body fed in chunks and picks out its top-level "model" string, keeping only the
/// reader's state between chunks. Comments are skipped (as llama.cpp accepts them); duplicate keys
/// keep the last value, as most JSON parsers do.
/// </summary>
internal sealed class TopLevelModelScanner
{
    private JsonReaderState _state = new(new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
    private bool _started;
    private bool _modelNext;
    private string? _model;
    private bool _sawModel;

    public string? Model => string.IsNullOrWhiteSpace(_model) ? null : _model;

    /// <summary>Feeds the bytes not consumed before plus new ones; returns how many were consumed.</summary>
    public int Feed(ReadOnlySpan<byte> data, bool isFinalBlock)
    {
        try
        {
            var reader = new Utf8JsonReader(data, isFinalBlock, _state);
            while (reader.Read())
            {
                if (!_started)
                {
                    _started = true;
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        throw new BadRequestException("request body must be a JSON object");
                    }
                    continue;
                }
                if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName)
                {
                    _modelNext = reader.ValueTextEquals("model"u8);
                    continue;
                }
                if (_modelNext && reader.CurrentDepth == 1)
                {
                    _modelNext = false;
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        throw new BadRequestException("\"model\" must be a string");
                    }
                    _model = reader.GetString();
                    _sawModel = true;
                }
            }
            if (isFinalBlock && !_started)
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
            // Utf8JsonReader.GetString throws this for a string that is not valid UTF-8 (or a lone surrogate).
            throw new BadRequestException($"request body is not valid JSON: {ex.Message}");
        }
    }

    public bool SawModel => _sawModel;
}
