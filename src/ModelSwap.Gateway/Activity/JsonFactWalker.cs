using System.Text.Json;

namespace ModelSwap.Gateway.Activity;

/// <summary>
/// Reads one JSON value fed in pieces (a whole answer as it streams, or one SSE <c>data:</c> line) and
/// picks out <c>usage</c>, <c>timings</c> and the generated text of <c>choices</c> into
/// <see cref="GenerationFacts"/>, holding only the unfinished token between pieces. A token larger
/// than <see cref="MaxPendingBytes"/> (or broken JSON) stops the walk: the facts read so far stay.
/// </summary>
internal sealed class JsonFactWalker(GenerationFacts facts, TimeProvider time)
{
    public const int MaxPendingBytes = 256 * 1024;

    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 128 };

    // The name each open container sits under: "" for the root, "[]" for an array's items.
    private readonly List<string> _path = [];
    private readonly List<bool> _isArray = [];
    private JsonReaderState _state = new(Options);
    private byte[] _pending = [];
    private int _pendingLength;
    private string? _property;

    /// <summary>True once the walk gave up (broken JSON or an oversized token).</summary>
    public bool Failed { get; private set; }

    /// <summary>Starts over for a new JSON value (the next SSE line).</summary>
    public void Reset()
    {
        _state = new JsonReaderState(Options);
        _pendingLength = 0;
        _path.Clear();
        _isArray.Clear();
        _property = null;
        Failed = false;
    }

    public void Feed(ReadOnlySpan<byte> chunk, bool final)
    {
        if (Failed)
        {
            return;
        }
        ReadOnlySpan<byte> data = chunk;
        if (_pendingLength > 0)
        {
            EnsureCapacity(_pendingLength + chunk.Length);
            chunk.CopyTo(_pending.AsSpan(_pendingLength));
            data = _pending.AsSpan(0, _pendingLength + chunk.Length);
        }
        var reader = new Utf8JsonReader(data, final, _state);
        try
        {
            while (reader.Read())
            {
                Handle(ref reader);
            }
        }
        catch (JsonException)
        {
            Failed = true;
            return;
        }
        _state = reader.CurrentState;
        var rest = data[(int)reader.BytesConsumed..];
        if (rest.Length > MaxPendingBytes)
        {
            Failed = true;
            _pendingLength = 0;
            return;
        }
        EnsureCapacity(rest.Length);
        rest.CopyTo(_pending); // may overlap _pending itself: Span.CopyTo copies as memmove does
        _pendingLength = rest.Length;
    }

    private void EnsureCapacity(int length)
    {
        if (_pending.Length < length)
        {
            var bigger = new byte[Math.Max(length, Math.Max(4096, _pending.Length * 2))];
            _pending.AsSpan(0, _pendingLength).CopyTo(bigger);
            _pending = bigger;
        }
    }

    private void Handle(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
            case JsonTokenType.StartArray:
                _path.Add(NameOfValue());
                _isArray.Add(reader.TokenType == JsonTokenType.StartArray);
                _property = null;
                break;
            case JsonTokenType.EndObject:
            case JsonTokenType.EndArray:
                if (_path.Count > 0)
                {
                    _path.RemoveAt(_path.Count - 1);
                    _isArray.RemoveAt(_isArray.Count - 1);
                }
                _property = null;
                break;
            case JsonTokenType.PropertyName:
                _property = reader.GetString();
                break;
            case JsonTokenType.Number:
                OnNumber(ref reader);
                _property = null;
                break;
            case JsonTokenType.String:
                OnString(ref reader);
                _property = null;
                break;
            default:
                _property = null;
                break;
        }
    }

    private string NameOfValue() => _isArray.Count > 0 && _isArray[^1] ? "[]" : _property ?? "";

    private bool At(string a) => _path.Count == 2 && _path[1] == a;

    /// <summary>
    /// The answer's own usage: top level (chat, completions, a whole Responses or Messages answer, a
    /// Messages message_delta event), or inside the streamed Responses <c>response.completed</c> event's
    /// <c>response</c> and the Messages <c>message_start</c> event's <c>message</c>.
    /// </summary>
    private bool AtUsage() => At("usage") || _path.Count == 3 && _path[1] is "response" or "message" && _path[2] == "usage";

    private void OnNumber(ref Utf8JsonReader reader)
    {
        if (!reader.TryGetDouble(out var value) || _property is null)
        {
            return;
        }
        if (AtUsage())
        {
            switch (_property)
            {
                // Chat and completions name them prompt/completion; the Responses and Messages APIs input/output.
                case "prompt_tokens" or "input_tokens": facts.PromptTokens = ToInt(value); break;
                case "completion_tokens" or "output_tokens": facts.CompletionTokens = ToInt(value); break;
            }
        }
        else if (At("timings"))
        {
            switch (_property)
            {
                case "prompt_n": facts.PromptN = ToInt(value); break;
                case "predicted_n": facts.PredictedN = ToInt(value); break;
                case "prompt_ms": facts.PromptMs = value; break;
                case "predicted_ms": facts.PredictedMs = value; break;
                case "predicted_per_second": facts.PredictedPerSecond = value; break;
            }
        }
    }

    private void OnString(ref Utf8JsonReader reader)
    {
        // choices[i].delta.content / choices[i].message.content (chat), choices[i].text (completions).
        var isText = _path.Count == 3 && _path[1] == "choices" && _property == "text"
            || _path.Count == 4 && _path[1] == "choices" && _path[3] is "delta" or "message" && _property == "content";
        if (isText)
        {
            facts.AddText(reader.GetString() ?? "", time.GetUtcNow());
        }
    }

    private static int ToInt(double value) => value is >= 0 and <= int.MaxValue ? (int)value : 0;
}
