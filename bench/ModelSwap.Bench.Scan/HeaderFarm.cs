using System.Globalization;
using ModelSwap.Core.Catalog.Gguf;

namespace ModelSwap.Bench.Scan;

/// <summary>
/// Writes a models folder of GGUF headers shaped like real ones (names, metadata, a vocabulary, a
/// chat template, tensor infos) with almost no tensor data, spread over subfolders, with split
/// sets, projectors and embedding models mixed in.
/// </summary>
internal static class HeaderFarm
{
    private static readonly string[] Families = ["llama-3.2", "Qwen2.5", "gemma-3", "mistral", "phi-3.5", "SmolLM2", "granite-3.1", "deepseek-r1-distill-qwen"];
    private static readonly string[] Sizes = ["135M", "0.5B", "1B", "1.5B", "3B", "4B", "7B", "8B", "14B"];
    private static readonly string[] Variants = ["Instruct", "it", "chat", "base", "coder-instruct"];
    private static readonly string[] Quants = ["Q4_K_M", "Q5_K_M", "Q8_0", "Q6_K", "IQ4_XS", "f16"];

    public static void Write(string root, int files, int vocabulary)
    {
        var tokens = Enumerable.Range(0, vocabulary).Select(i => "tok" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var template = string.Concat(Enumerable.Repeat("{% for m in messages %}{{ m['role'] }}: {{ m['content'] }}{% endfor %}", 30));
        var written = 0;
        for (var i = 0; written < files; i++)
        {
            var folder = Path.Combine(root, "folder" + (i % 20).ToString("D2", CultureInfo.InvariantCulture));
            Directory.CreateDirectory(folder);
            var stem = $"{Families[i % Families.Length]}-{Sizes[i / 7 % Sizes.Length]}-{Variants[i / 3 % Variants.Length]}-v{i}-{Quants[i % Quants.Length]}";
            if (i % 50 == 0 && written + 3 <= files)
            {
                for (var part = 1; part <= 3; part++)
                {
                    Header(tokens, template, "llama", embedding: false).WriteTo(Path.Combine(folder, $"{stem}-{part:D5}-of-00003.gguf"));
                }
                written += 3;
            }
            else if (i % 25 == 0)
            {
                Header([], "", "clip", embedding: false).WriteTo(Path.Combine(folder, $"mmproj-{stem}.gguf"));
                written++;
            }
            else
            {
                Header(tokens, i % 10 == 0 ? "" : template, i % 10 == 0 ? "nomic-bert" : "llama", embedding: i % 10 == 0)
                    .WriteTo(Path.Combine(folder, stem + ".gguf"));
                written++;
            }
        }
    }

    private static GgufWriter Header(string[] tokens, string template, string architecture, bool embedding)
    {
        var writer = new GgufWriter();
        writer.Set("general.architecture", GgufValue.String(architecture));
        writer.Set("general.name", GgufValue.String("Bench Model"));
        writer.Set("general.file_type", GgufValue.UInt32(15));
        writer.Set($"{architecture}.context_length", GgufValue.UInt32(131072));
        writer.Set($"{architecture}.embedding_length", GgufValue.UInt32(2048));
        writer.Set($"{architecture}.block_count", GgufValue.UInt32(16));
        if (embedding)
        {
            writer.Set($"{architecture}.pooling_type", GgufValue.UInt32(1));
        }
        if (tokens.Length > 0)
        {
            writer.Set("tokenizer.ggml.model", GgufValue.String("gpt2"));
            writer.Set("tokenizer.ggml.tokens", GgufValue.StringArray(tokens));
            writer.Set("tokenizer.ggml.token_type", GgufValue.Int32Array(tokens.Select(_ => 1)));
        }
        if (template.Length > 0)
        {
            writer.Set("tokenizer.chat_template", GgufValue.String(template));
        }
        // Real models have hundreds of tensor infos; these hold 4 bytes of data each.
        for (var t = 0; t < 150; t++)
        {
            writer.AddTensor("blk." + t.ToString(CultureInfo.InvariantCulture) + ".weight", [1], [0f]);
        }
        return writer;
    }
}
