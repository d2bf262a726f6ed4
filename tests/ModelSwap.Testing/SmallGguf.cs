using ModelSwap.Core.Catalog.Gguf;

namespace ModelSwap.Testing;

/// <summary>
/// Small but valid GGUF files for discovery tests: chosen metadata and one tiny tensor. The
/// scanner reads them like any model; llama.cpp would not run them (use TinyModelBuilder for that).
/// </summary>
public static class SmallGguf
{
    /// <summary>Writes the file and returns its full path.</summary>
    /// <param name="architecture">general.architecture, e.g. llama, qwen2, bert, clip.</param>
    /// <param name="metadata">More keys; a value replaces a default of the same key.</param>
    /// <param name="tensorElements">Elements of the one F32 tensor: the file holds 4 bytes for each.</param>
    public static string Write(string path, string architecture = "llama", int contextLength = 4096, string? chatTemplate = null,
        IEnumerable<(string Key, GgufValue Value)>? metadata = null, int tensorElements = 64)
    {
        var writer = new GgufWriter();
        writer.Set("general.architecture", GgufValue.String(architecture));
        writer.Set($"{architecture}.context_length", GgufValue.UInt32((uint)contextLength));
        if (chatTemplate is not null)
        {
            writer.Set("tokenizer.chat_template", GgufValue.String(chatTemplate));
        }
        writer.Set("tokenizer.ggml.tokens", GgufValue.StringArray(["<s>", "</s>", "a", "b"]));
        foreach (var (key, value) in metadata ?? [])
        {
            writer.Set(key, value);
        }
        writer.AddTensor("token_embd.weight", [tensorElements], new float[tensorElements]);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        writer.WriteTo(path);
        return Path.GetFullPath(path);
    }

    /// <summary>Sets the file's modification time <paramref name="age"/> in the past, so a scan treats it as settled.</summary>
    public static void Age(string path, TimeSpan? age = null) =>
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow - (age ?? TimeSpan.FromMinutes(5)));
}
