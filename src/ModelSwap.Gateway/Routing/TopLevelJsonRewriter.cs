using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelSwap.Core.Configuration;

namespace ModelSwap.Gateway.Routing;

/// <summary>
/// Rewrites a JSON object's top-level members as <see cref="JsonStreamPump"/> reads it: `model`
/// becomes the model's useModelName, setParams replace (or are added after) their keys, stripParams
/// are dropped. Every other token is copied as sent, so what it holds is what the last piece produced
/// (<see cref="Pending"/>), never the body. A key it rewrites that appears twice is written once;
/// other repeated keys pass as sent, as they do for models without filters.
/// </summary>
internal sealed class TopLevelJsonRewriter : IJsonTokenVisitor
{
    private static readonly JsonWriterOptions MemberOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ArrayBufferWriter<byte> _output = new(JsonStreamPump.ChunkSize);
    private readonly List<(string Name, byte[] Member)> _set = [];
    private readonly List<string> _strip = [];
    private readonly byte[]? _model;
    private readonly HashSet<string> _written = new(StringComparer.Ordinal);
    private readonly bool[] _needComma = new bool[72];
    private byte[] _scratch = new byte[JsonStreamPump.ChunkSize];
    private bool _started;
    private bool _afterName;
    private bool _skipping;
    private bool _longSkipping;
    private bool _longIsName;
    private int _longDepth;

    public TopLevelJsonRewriter(ModelConfig model)
    {
        foreach (var (name, value) in model.Filters.SetParams ?? [])
        {
            if (name != "model")
            {
                _set.Add((name, Member(name, value)));
            }
        }
        _strip.AddRange(model.Filters.StripParams.Where(name => name != "model"));
        if (model.UseModelName is { } upstreamName)
        {
            _model = Member("model", JsonValue.Create(upstreamName));
        }
    }

    /// <summary>The object was read to its end.</summary>
    public bool Completed { get; private set; }

    /// <summary>What the rewrite produced since <see cref="ResetPending"/>.</summary>
    public ReadOnlyMemory<byte> Pending => _output.WrittenMemory;

    public void ResetPending() => _output.ResetWrittenCount();

    public void OnToken(ref Utf8JsonReader reader)
    {
        var type = reader.TokenType;
        var depth = reader.CurrentDepth;
        if (!_started)
        {
            _started = true;
            if (type != JsonTokenType.StartObject)
            {
                throw new BadRequestException("request body must be a JSON object");
            }
            Write("{"u8);
            return;
        }
        if (type is JsonTokenType.String or JsonTokenType.PropertyName)
        {
            Validate(ref reader);
        }
        if (_skipping)
        {
            // A dropped member's value ends with a scalar at depth 1 or the end of its container.
            _skipping = depth != 1 || type is JsonTokenType.StartObject or JsonTokenType.StartArray;
            return;
        }
        switch (type)
        {
            case JsonTokenType.PropertyName when depth == 1:
                TopLevelName(ref reader);
                break;
            case JsonTokenType.PropertyName:
                Separator(depth);
                Write("\""u8);
                Write(reader.ValueSpan);
                Write("\":"u8);
                _afterName = true;
                break;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                Separator(depth);
                Write(type == JsonTokenType.StartObject ? "{"u8 : "["u8);
                _needComma[depth + 1] = false;
                break;
            case JsonTokenType.EndObject when depth == 0:
                WriteUnwrittenMembers();
                Write("}"u8);
                Completed = true;
                break;
            case JsonTokenType.EndObject or JsonTokenType.EndArray:
                Write(type == JsonTokenType.EndObject ? "}"u8 : "]"u8);
                break;
            case JsonTokenType.String:
                Separator(depth);
                Write("\""u8);
                Write(reader.ValueSpan);
                Write("\""u8);
                break;
            default:
                // Numbers, true, false, null: their text as sent.
                Separator(depth);
                Write(reader.ValueSpan);
                break;
        }
    }

    public void OnLongStringStart(bool isPropertyName, int depth)
    {
        // A name this long is none of the configured keys: its member is kept.
        _longSkipping = _skipping;
        _longIsName = isPropertyName;
        _longDepth = depth;
        if (!_longSkipping)
        {
            Separator(depth);
            Write("\""u8);
        }
    }

    public void OnLongStringSegment(ReadOnlySpan<byte> content, bool last)
    {
        if (_longSkipping)
        {
            if (last && _longDepth == 1)
            {
                _skipping = false;
            }
            return;
        }
        Write(content);
        if (last)
        {
            Write(_longIsName ? "\":"u8 : "\""u8);
            _afterName = _longIsName;
        }
    }

    private void TopLevelName(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("model"u8))
        {
            Replace(_model, "model");
            return;
        }
        foreach (var (name, member) in _set)
        {
            if (reader.ValueTextEquals(name))
            {
                Replace(member, name);
                return;
            }
        }
        foreach (var name in _strip)
        {
            if (reader.ValueTextEquals(name))
            {
                _skipping = true;
                return;
            }
        }
        Separator(1);
        Write("\""u8);
        Write(reader.ValueSpan);
        Write("\":"u8);
        _afterName = true;
    }

    /// <summary>Writes the configured member in place of the first occurrence; drops every sent value.</summary>
    private void Replace(byte[]? member, string name)
    {
        if (member is null)
        {
            // `model` without useModelName: kept as sent.
            Separator(1);
            Write("\"model\":"u8);
            _afterName = true;
            return;
        }
        if (_written.Add(name))
        {
            Separator(1);
            Write(member);
        }
        _skipping = true;
    }

    private void WriteUnwrittenMembers()
    {
        foreach (var (name, member) in _set)
        {
            if (_written.Add(name))
            {
                Separator(1);
                Write(member);
            }
        }
        if (_model is not null && _written.Add("model"))
        {
            Separator(1);
            Write(_model);
        }
    }

    private void Separator(int depth)
    {
        if (_afterName)
        {
            _afterName = false;
            return;
        }
        if (_needComma[depth])
        {
            Write(","u8);
        }
        _needComma[depth] = true;
    }

    /// <summary>Reading the text checks it is valid UTF-8 without lone surrogates, as parsing it whole did.</summary>
    private void Validate(ref Utf8JsonReader reader)
    {
        if (_scratch.Length < reader.ValueSpan.Length)
        {
            _scratch = new byte[reader.ValueSpan.Length];
        }
        reader.CopyString(_scratch);
    }

    private void Write(ReadOnlySpan<byte> bytes) => _output.Write(bytes);

    /// <summary>`"name":value` as JSON text, written once per request.</summary>
    private static byte[] Member(string name, JsonNode? value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, MemberOptions))
        {
            writer.WriteStartObject();
            writer.WritePropertyName(name);
            if (value is null)
            {
                writer.WriteNullValue();
            }
            else
            {
                value.WriteTo(writer);
            }
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan[1..^1].ToArray();
    }
}
