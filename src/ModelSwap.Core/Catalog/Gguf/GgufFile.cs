namespace ModelSwap.Core.Catalog.Gguf;

/// <summary>
/// The header of a GGUF file: metadata in file order, tensor infos, and where tensor data starts.
/// Tensor data itself is never read.
/// </summary>
public sealed record GgufFile(
    uint Version,
    IReadOnlyDictionary<string, GgufValue> Metadata,
    IReadOnlyList<GgufTensorInfo> Tensors,
    uint Alignment,
    long DataOffset)
{
    public const uint DefaultAlignment = 32;

    /// <summary><c>general.architecture</c>, e.g. <c>llama</c>, <c>qwen2</c>, <c>bert</c>, <c>clip</c>.</summary>
    public string? Architecture => GetString("general.architecture");

    /// <summary>Sum of every tensor's element count.</summary>
    public long ParameterCount
    {
        get
        {
            long total = 0;
            foreach (var tensor in Tensors)
            {
                total += tensor.ElementCount;
            }
            return total;
        }
    }

    /// <summary>Bytes of tensor data the header describes (unknown tensor types count as zero).</summary>
    public long TensorDataBytes => Tensors.Sum(t => t.ByteSize ?? 0);

    public GgufValue? Get(string key) => Metadata.GetValueOrDefault(key);

    public string? GetString(string key) => Get(key)?.AsString();

    public ulong? GetUInt64(string key) => Get(key)?.AsUInt64();

    public long? GetInt64(string key) => Get(key)?.AsInt64();

    public uint? GetUInt32(string key) => GetUInt64(key) is ulong v && v <= uint.MaxValue ? (uint)v : null;

    public double? GetDouble(string key) => Get(key)?.AsDouble();

    public bool? GetBool(string key) => Get(key)?.AsBool();

    public GgufArray? GetArray(string key) => Get(key)?.AsArray();

    public IReadOnlyList<string>? GetStringArray(string key) => GetArray(key)?.As<string>();

    /// <summary>An architecture-scoped key: <c>GetArchitectureUInt64("context_length")</c> reads <c>llama.context_length</c> for a llama model.</summary>
    public ulong? GetArchitectureUInt64(string suffix) => Architecture is { } arch ? GetUInt64($"{arch}.{suffix}") : null;
}
