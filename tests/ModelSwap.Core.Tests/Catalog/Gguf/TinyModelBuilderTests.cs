using System.Security.Cryptography;
using ModelSwap.Core.Catalog.Gguf;

namespace ModelSwap.Core.Tests.Catalog.Gguf;

public sealed class TinyModelBuilderTests
{
    private static byte[] Write(TinyModelOptions options)
    {
        using var stream = new MemoryStream();
        TinyModelBuilder.CreateWriter(options).WriteTo(stream);
        return stream.ToArray();
    }

    [Fact]
    public void TinyModelHasEveryKeyLlamaCppNeedsAndTheRightTensorLayout()
    {
        var file = GgufReader.Read(new MemoryStream(Write(new TinyModelOptions())));

        Assert.Equal("llama", file.Architecture);
        foreach (var key in new[]
        {
            "llama.context_length", "llama.embedding_length", "llama.block_count", "llama.feed_forward_length",
            "llama.attention.head_count", "llama.attention.head_count_kv", "llama.attention.layer_norm_rms_epsilon",
            "llama.rope.dimension_count", "tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id",
            "tokenizer.ggml.unknown_token_id", "general.file_type",
        })
        {
            Assert.True(file.Metadata.ContainsKey(key), key);
        }
        Assert.Equal("llama", file.GetString("tokenizer.ggml.model"));
        Assert.Equal(64ul, file.GetUInt64("llama.embedding_length"));
        Assert.Equal(TinyModelBuilder.ChatMLTemplate, file.GetString("tokenizer.chat_template"));
        Assert.Equal("tiny-llama", file.GetString("general.name"));
        Assert.Equal(0u, file.GetUInt32("general.file_type"));

        var tokens = file.GetStringArray("tokenizer.ggml.tokens")!.ToList();
        var types = file.GetArray("tokenizer.ggml.token_type")!.As<int>()!;
        Assert.Equal(512, tokens.Count);
        Assert.Equal(512, file.GetArray("tokenizer.ggml.scores")!.Count);
        Assert.Equal(512, tokens.Distinct().Count());
        Assert.Equal(["<unk>", "<s>", "</s>"], tokens.Take(3));
        for (var b = 0; b < 256; b++)
        {
            Assert.Equal($"<0x{b:X2}>", tokens[3 + b]);
            Assert.Equal(6, types[3 + b]);
        }
        Assert.Equal(3, types[tokens.IndexOf("<|im_start|>")]);
        Assert.Equal(3, types[tokens.IndexOf("<|im_end|>")]);
        Assert.Contains("\u2581hello", tokens);

        var byName = file.Tensors.ToDictionary(t => t.Name);
        Assert.Equal([64L, 512L], byName["token_embd.weight"].Dimensions);
        Assert.Equal([64L, 512L], byName["output.weight"].Dimensions);
        Assert.Equal([192L, 64L], byName["blk.1.ffn_down.weight"].Dimensions);
        Assert.Equal([64L, 32L], byName["blk.0.attn_k.weight"].Dimensions); // 2 kv heads of 16
        Assert.All(file.Tensors.Where(t => t.Name.EndsWith("norm.weight", StringComparison.Ordinal)), t => Assert.Equal(GgmlType.F32, t.Type));
        Assert.Equal(2 + 1 + 2 * 9, file.Tensors.Count);
        Assert.Equal(164_160, file.ParameterCount);
        Assert.Equal("164K", file.GetString("general.size_label"));
    }

    [Fact]
    public void SameSeedGivesTheSameBytesAndAnotherSeedOtherWeights()
    {
        var a = Write(new TinyModelOptions { Seed = 5 });
        var b = Write(new TinyModelOptions { Seed = 5 });
        var c = Write(new TinyModelOptions { Seed = 6 });
        Assert.Equal(SHA256.HashData(a), SHA256.HashData(b));
        Assert.Equal(a.Length, c.Length);
        Assert.NotEqual(SHA256.HashData(a), SHA256.HashData(c));
    }

    [Fact]
    public void FewerLayersGiveATruncatedCopyWithTheSameTensorsForWhatItKeeps()
    {
        var fullBytes = Write(new TinyModelOptions { Seed = 9 });
        var cutBytes = Write(new TinyModelOptions { Seed = 9, Layers = 1 });
        var full = GgufReader.Read(new MemoryStream(fullBytes));
        var cut = GgufReader.Read(new MemoryStream(cutBytes));

        Assert.Equal(2ul, full.GetUInt64("llama.block_count"));
        Assert.Equal(1ul, cut.GetUInt64("llama.block_count"));
        Assert.DoesNotContain(cut.Tensors, t => t.Name.StartsWith("blk.1.", StringComparison.Ordinal));
        var fullByName = full.Tensors.ToDictionary(t => t.Name);
        Assert.All(cut.Tensors, t =>
        {
            var twin = fullByName[t.Name];
            Assert.Equal(
                TensorBytes(fullBytes, full, twin),
                TensorBytes(cutBytes, cut, t));
        });
        Assert.Throws<ArgumentException>(() => TinyModelBuilder.CreateWriter(new TinyModelOptions { Layers = 0 }));
    }

    private static byte[] TensorBytes(byte[] file, GgufFile header, GgufTensorInfo tensor) =>
        file.AsSpan((int)(header.DataOffset + (long)tensor.Offset), (int)tensor.ByteSize!.Value).ToArray();

    [Fact]
    public void EmbeddingVariantHasMeanPoolingAndNoTemplate()
    {
        var file = GgufReader.Read(new MemoryStream(Write(new TinyModelOptions { Embedding = true, Name = "embedder" })));
        Assert.Equal(1ul, file.GetUInt64("llama.pooling_type"));
        Assert.Null(file.GetString("tokenizer.chat_template"));
        Assert.Equal("embedder", file.GetString("general.basename"));
    }

    [Fact]
    public void OptionsOverrideTemplateContextAndMetadata()
    {
        var file = GgufReader.Read(new MemoryStream(Write(new TinyModelOptions
        {
            ChatTemplate = "",
            ContextLength = 1024,
            MatrixType = GgmlType.F16,
            ExtraMetadata = [new("general.size_label", GgufValue.String("8B")), new("general.finetune", GgufValue.String("Instruct"))],
        })));
        Assert.False(file.Metadata.ContainsKey("tokenizer.chat_template"));
        Assert.Equal(1024ul, file.GetUInt64("llama.context_length"));
        Assert.Equal("8B", file.GetString("general.size_label"));
        Assert.Equal("Instruct", file.GetString("general.finetune"));
        Assert.Equal(1u, file.GetUInt32("general.file_type"));
        Assert.Equal(GgmlType.F16, file.Tensors.Single(t => t.Name == "output.weight").Type);
    }

    [Fact]
    public void BenchModelHasAbout66MillionF16Parameters()
    {
        // Keep only the first 4 MB (header and some data): enough to read the header without a 130 MB file.
        using var capture = new PrefixCapture(4 * 1024 * 1024);
        TinyModelBuilder.CreateWriter(new TinyModelOptions { Size = TinyModelSize.Bench }).WriteTo(capture);

        var file = GgufReader.Read(new NonSeekableStream(capture.Prefix));
        Assert.Equal(66_331_136, file.ParameterCount);
        Assert.Equal("66M", file.GetString("general.size_label"));
        Assert.Equal(32000, file.GetStringArray("tokenizer.ggml.tokens")!.Count);
        Assert.Equal(GgmlType.F16, file.Tensors.Single(t => t.Name == "blk.7.ffn_up.weight").Type);
        Assert.Equal(file.DataOffset + file.TensorDataBytes, capture.Written, 512.0); // up to padding after each tensor
    }

    [Theory]
    [InlineData(999, "999")]
    [InlineData(164_160, "164K")]
    [InlineData(66_331_136, "66M")]
    [InlineData(1_543_714_304, "1.5B")]
    [InlineData(8_030_261_248, "8B")]
    public void SizeLabelsFollowLlamaCppStyle(long parameters, string label) =>
        Assert.Equal(label, TinyModelBuilder.SizeLabel(parameters));

    private sealed class PrefixCapture(int keep) : Stream
    {
        private readonly MemoryStream _prefix = new();

        public byte[] Prefix => _prefix.ToArray();
        public long Written { get; private set; }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Written;
        public override long Position { get => Written; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            var room = (int)Math.Max(0, keep - _prefix.Length);
            _prefix.Write(buffer[..Math.Min(room, buffer.Length)]);
            Written += buffer.Length;
        }

        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
