using System.Collections.Immutable;
using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Core.Memory;
using ModelSwap.Gateway.Swapping;
using ModelSwap.Gateway.Translation;

namespace ModelSwap.Gateway.Tests.Translation;

/// <summary>
/// /api/ps's size and size_vram for the GPU layouts the estimator knows (an 8-layer model with half or
/// all of its layers offloaded, a detected GPU or none) and for memory measured by nvidia-smi.
/// </summary>
public sealed class OllamaPsMemoryTests : IDisposable
{
    private const long MiB = 1024 * 1024;
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _dir = Directory.CreateTempSubdirectory("modelswap-ps-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Footprint Estimate(bool gpuPresent, params string[] command)
    {
        var path = Path.Combine(_dir, "bench.gguf");
        if (!File.Exists(path))
        {
            TinyModelBuilder.Write(path, new TinyModelOptions { Size = TinyModelSize.Bench });
        }
        return FootprintEstimator.Estimate(ModelShapeReader.Read(path, projectorPath: null), ServerCommand.Parse([.. command]), gpuPresent);
    }

    private static (long Size, long Vram) Ps(Footprint? estimate, MeasuredMemory? measured = null)
    {
        var live = new ModelStatus("m", ModelState.Ready, 0, 0, 1234, Now, Now) { Estimate = estimate, Measured = measured };
        var facts = new OllamaModelFacts("m", ImmutableArray<string>.Empty, "/models/m.gguf", 400 * MiB, Now, null, "llama", null, null, 4096,
            Embedding: false, Projector: null, live, ResidentBytes: 100 * MiB);
        var entry = OllamaModelViews.Running(facts, Now);
        return (entry["size"]!.GetValue<long>(), entry["size_vram"]!.GetValue<long>());
    }

    [Fact]
    public void Half_the_layers_offloaded_report_the_estimates_gpu_share()
    {
        var estimate = Estimate(true, "llama-server", "-m", "m", "-c", "4096", "-ngl", "4");
        Assert.True(estimate.GpuBytes > 0);

        var (size, vram) = Ps(estimate);

        Assert.Equal(estimate.GpuBytes, vram);
        Assert.Equal(100 * MiB + estimate.GpuBytes, size);
    }

    [Fact]
    public void More_layers_offloaded_means_more_vram()
    {
        var half = Ps(Estimate(true, "llama-server", "-m", "m", "-c", "4096", "-ngl", "4")).Vram;
        var all = Ps(Estimate(true, "llama-server", "-m", "m", "-c", "4096", "-ngl", "99")).Vram;

        Assert.True(all > half, $"all layers {all} vs half {half}");
    }

    [Fact]
    public void Measured_gpu_memory_wins_over_the_estimate()
    {
        var estimate = Estimate(true, "llama-server", "-m", "m", "-ngl", "99");

        var (size, vram) = Ps(estimate, new MeasuredMemory(100 * MiB, 120 * MiB, GpuBytes: 2048 * MiB));

        Assert.Equal(2048 * MiB, vram);
        Assert.Equal(2148 * MiB, size);
    }

    [Theory]
    [InlineData(false, "llama-server", "-m", "m", "-ngl", "99")] // no GPU detected
    [InlineData(true, "llama-server", "-m", "m", "-ngl", "0")] // nothing offloaded
    [InlineData(true, "modelswap", "engine", "--model", "m")] // the engine runs on the CPU
    public void On_the_cpu_size_vram_stays_zero(bool gpuPresent, params string[] command)
    {
        var (size, vram) = Ps(Estimate(gpuPresent, command));

        Assert.Equal(0, vram);
        Assert.Equal(100 * MiB, size);
    }

    [Fact]
    public void Without_an_estimate_or_measure_nothing_is_claimed_on_the_gpu() =>
        Assert.Equal((100 * MiB, 0L), Ps(estimate: null));
}
