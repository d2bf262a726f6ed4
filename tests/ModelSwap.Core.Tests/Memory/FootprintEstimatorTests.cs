using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Core.Memory;

namespace ModelSwap.Core.Tests.Memory;

/// <summary>The estimate from real GGUF headers (TinyModelBuilder's bench shape: 8 layers, 8 KV heads of 64) and command lines.</summary>
public sealed class FootprintEstimatorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("modelswap-fp-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ModelShape BenchShape(int trained = 32768)
    {
        var path = Path.Combine(_dir, $"bench-{trained}.gguf");
        if (!File.Exists(path))
        {
            TinyModelBuilder.Write(path, new TinyModelOptions { Size = TinyModelSize.Bench, ContextLength = trained });
        }
        return ModelShapeReader.Read(path, projectorPath: null);
    }

    [Fact]
    public void Shape_comes_from_the_header()
    {
        var shape = BenchShape();
        Assert.Equal(8, shape.LayerCount);
        Assert.Equal(64, shape.KeyLength);
        Assert.Equal(64, shape.ValueLength);
        Assert.Equal(64, shape.KvHeadsAllLayers); // 8 layers × 8 KV heads
        Assert.Equal(32000, shape.VocabularySize);
        Assert.Equal(32768, shape.TrainedContext);
        Assert.InRange(shape.WeightBytes, 120L * 1024 * 1024, new FileInfo(Path.Combine(_dir, "bench-32768.gguf")).Length);
    }

    [Fact]
    public void Kv_cache_is_context_times_layers_times_kv_heads_times_key_and_value_length()
    {
        var shape = BenchShape();
        // Engine: --ctx-size is per slot. 2048 × 4 slots × 64 heads·layers × (64 + 64) × 2 bytes (f16).
        var engine = FootprintEstimator.Estimate(shape, ServerCommand.Parse(["modelswap", "engine", "--model", "m", "--ctx-size", "2048", "--parallel", "4"]), gpuPresent: false);
        Assert.Equal(2048L * 4 * 64 * 128 * 2, engine.KvCacheBytes);
        // llama-server: --ctx-size is the total, shared by the slots; q8_0 is 34 bytes per 32.
        var server = FootprintEstimator.Estimate(shape, ServerCommand.Parse(["/opt/llama-server", "-m", "m", "-c", "8192", "-np", "4", "-ctk", "q8_0", "--cache-type-v=q8_0"]), gpuPresent: false);
        Assert.Equal((long)(8192L * 64 * 128 * 34.0 / 32), server.KvCacheBytes);
    }

    [Fact]
    public void Engine_defaults_are_its_own()
    {
        var shape = BenchShape(trained: 32768);
        var (perSequence, sequences) = FootprintEstimator.Context(shape, ServerCommand.Parse(["dotnet", "/x/modelswap.dll", "engine", "--model", "m"]));
        Assert.Equal((4096, 4), (perSequence, sequences));
    }

    [Fact]
    public void Offloaded_layers_count_against_gpu_memory_only_when_a_gpu_is_present()
    {
        var shape = BenchShape();
        var command = ServerCommand.Parse(["llama-server", "-m", "m", "-c", "4096", "-ngl", "4"]);
        var withGpu = FootprintEstimator.Estimate(shape, command, gpuPresent: true);
        var without = FootprintEstimator.Estimate(shape, command, gpuPresent: false);
        Assert.Equal(0, without.GpuBytes);
        Assert.InRange(withGpu.GpuBytes, (shape.WeightBytes + withGpu.KvCacheBytes) / 2, withGpu.TotalBytes);
        Assert.Equal(withGpu.TotalBytes, without.TotalBytes);
        var all = FootprintEstimator.Estimate(shape, ServerCommand.Parse(["llama-server", "-m", "m", "-c", "4096", "-ngl", "99"]), gpuPresent: true);
        Assert.Equal(all.RuntimeBytes, all.RamBytes);
    }

    [Fact]
    public void Split_parts_and_the_projector_all_count()
    {
        var writer = TinyModelBuilder.CreateWriter(new TinyModelOptions());
        var single = Path.Combine(_dir, "tiny.gguf");
        writer.WriteTo(single);
        var one = ModelShapeReader.Read(single, null).WeightBytes;
        // Two parts: part 1 holds the metadata and one tensor, part 2 another (llama.cpp's split layout).
        var part1 = new GgufWriter();
        part1.Set("general.architecture", GgufValue.String("llama"));
        part1.Set("llama.block_count", GgufValue.UInt32(2));
        part1.AddTensor("a", [1024], new float[1024]);
        part1.WriteTo(Path.Combine(_dir, "split-00001-of-00002.gguf"));
        var part2 = new GgufWriter();
        part2.AddTensor("b", [2048], new float[2048]);
        part2.WriteTo(Path.Combine(_dir, "split-00002-of-00002.gguf"));
        var shape = ModelShapeReader.Read(Path.Combine(_dir, "split-00001-of-00002.gguf"), single);
        Assert.Equal(4L * (1024 + 2048), shape.WeightBytes);
        Assert.Equal(one, shape.ProjectorBytes);
    }

    [Fact]
    public void A_custom_command_is_not_read()
    {
        var command = ServerCommand.Parse(["python", "serve.py", "--ctx-size", "4096"]);
        Assert.Equal(ServerKind.Custom, command.Kind);
    }
}
