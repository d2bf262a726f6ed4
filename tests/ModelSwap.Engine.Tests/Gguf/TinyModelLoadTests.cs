using System.Collections.Concurrent;
using System.Text;
using LLama;
using LLama.Common;
using LLama.Native;
using LLama.Sampling;
using ModelSwap.Core.Catalog.Gguf;

namespace ModelSwap.Engine.Tests.Gguf;

/// <summary>
/// The generated models are only useful if llama.cpp accepts them: these load them with LLamaSharp
/// (the real native library), tokenize, generate and embed.
/// </summary>
public sealed class TinyModelLoadTests : IDisposable
{
    private static readonly ConcurrentQueue<string> NativeLog = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("modelswap-tiny-").FullName;

    static TinyModelLoadTests()
    {
        // Without a callback llama.cpp writes hundreds of lines per load to stderr; keep them for failure messages instead.
        NativeLogConfig.llama_log_set((level, message) =>
        {
            if (level >= LLamaLogLevel.Warning && NativeLog.Count < 2000)
            {
                NativeLog.Enqueue(message);
            }
        });
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task TinyChatModelLoadsTokenizesAndGenerates()
    {
        var path = Path.Combine(_dir, "tiny-chat.gguf");
        TinyModelBuilder.Write(path, new TinyModelOptions { Seed = 7 });

        var parameters = new ModelParams(path) { ContextSize = 256, Threads = 1, GpuLayerCount = 0 };
        using var weights = LoadOrExplain(parameters);
        Assert.Equal(512, weights.Vocab.Count);
        Assert.Equal(64, weights.EmbeddingSize);

        var tokens = weights.Tokenize("Hello world, the model is good", add_bos: true, special: false, Encoding.UTF8);
        Assert.Equal(1, (int)tokens[0]); // <s>
        // Whole words, not one token per character: the prefix-chained pieces merge.
        Assert.True(tokens.Length < 16, $"expected word pieces, got {tokens.Length} tokens");

        var special = weights.Tokenize("<|im_start|>user", add_bos: false, special: true, Encoding.UTF8);
        Assert.Equal(259, (int)special[0]); // <|im_start|> is one control token, not text

        var text = await Generate(weights, parameters, "Hello", seed: 1);
        Assert.False(string.IsNullOrWhiteSpace(text));
        Assert.Equal(text, await Generate(weights, parameters, "Hello", seed: 1));
    }

    [Fact]
    public async Task EmbeddingModelLoadsAndEmbedsWithMeanPooling()
    {
        var path = Path.Combine(_dir, "tiny-embed.gguf");
        TinyModelBuilder.Write(path, new TinyModelOptions { Embedding = true, Seed = 3 });
        var header = GgufReader.Read(path);
        Assert.Equal(1ul, header.GetUInt64("llama.pooling_type"));

        var parameters = new ModelParams(path) { ContextSize = 256, Threads = 1, GpuLayerCount = 0, Embeddings = true, PoolingType = LLamaPoolingType.Mean };
        using var weights = LoadOrExplain(parameters);
        using var embedder = new LLamaEmbedder(weights, parameters);
        var first = await embedder.GetEmbeddings("hello world");
        var second = await embedder.GetEmbeddings("the cat and the dog");

        var vector = Assert.Single(first);
        Assert.Equal(64, vector.Length);
        Assert.All(vector, v => Assert.True(float.IsFinite(v)));
        Assert.NotEqual(vector, Assert.Single(second));
    }

    [Fact]
    public void TruncatedModelFailsToLoadWithLoadWeightsFailed()
    {
        var path = Path.Combine(_dir, "tiny.gguf");
        TinyModelBuilder.Write(path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        Assert.Throws<GgufFormatException>(() => GgufReader.Read(path));
        Assert.Throws<LLama.Exceptions.LoadWeightsFailedException>(() => LLamaWeights.LoadFromFile(new ModelParams(path) { GpuLayerCount = 0 }));
    }

    private static LLamaWeights LoadOrExplain(ModelParams parameters)
    {
        try
        {
            return LLamaWeights.LoadFromFile(parameters);
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"llama.cpp refused the model: {e.Message}\n{string.Join("", NativeLog)}", e);
        }
    }

    private static async Task<string> Generate(LLamaWeights weights, ModelParams parameters, string prompt, uint seed)
    {
        var executor = new StatelessExecutor(weights, parameters);
        var inference = new InferenceParams
        {
            MaxTokens = 24,
            SamplingPipeline = new DefaultSamplingPipeline { Seed = seed, Temperature = 0.8f },
        };
        var text = new StringBuilder();
        await foreach (var piece in executor.InferAsync(prompt, inference))
        {
            text.Append(piece);
        }
        return text.ToString();
    }
}
