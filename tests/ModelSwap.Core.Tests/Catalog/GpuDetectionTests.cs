using ModelSwap.Core.Catalog;
using ModelSwap.Core.Configuration;
using ModelSwap.Testing;

namespace ModelSwap.Core.Tests.Catalog;

/// <summary>Faked GPU and CPU layouts of llama-server (shell scripts), and the flags generated for each.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class GpuDetectionTests : IDisposable
{
    private const string CpuDevices = "load_backend: loaded CPU backend\nAvailable devices:\n  (none)";
    private const string CudaDevices = "ggml_cuda_init: found 1 CUDA devices\nAvailable devices:\n  CUDA0: NVIDIA GeForce RTX 4090 (24080 MiB, 23500 MiB free)\n  Vulkan0: NVIDIA GeForce RTX 4090 (24080 MiB, 23000 MiB free)";
    private readonly string _root = Directory.CreateTempSubdirectory("modelswap-gpu-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string P(string relative) => Path.Combine(_root, relative);

    /// <summary>A llama-server stand-in: answers --version, and --list-devices with <paramref name="devices"/>.</summary>
    private string Fake(string relative, string devices)
    {
        var path = P(relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, $"#!/bin/sh\nif [ \"$1\" = --list-devices ]; then printf '%s\\n' '{devices.Replace("\n", "' '", StringComparison.Ordinal)}'; exit 0; fi\necho 'version: 7000 (abc)' >&2\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        return path;
    }

    [Fact]
    public void Device_list_is_read_from_list_devices_output()
    {
        Assert.Empty(GpuDetection.ParseDeviceList(CpuDevices));
        Assert.Equal(["CUDA0: NVIDIA GeForce RTX 4090 (24080 MiB, 23500 MiB free)", "Vulkan0: NVIDIA GeForce RTX 4090 (24080 MiB, 23000 MiB free)"],
            GpuDetection.ParseDeviceList(CudaDevices));
        Assert.Empty(GpuDetection.ParseDeviceList("version: 4589 (1d1e6a90)\nbuilt with cc"));
    }

    [Theory]
    [InlineData("app/linux-x64-vulkan/llama-server", "vulkan")]
    [InlineData("app/llama.cpp/win32-x64-cuda-12.4/llama-server", "cuda")]
    [InlineData("app/darwin-arm64-metal/llama-server", "metal")]
    [InlineData("app/linux-x64/llama-server", null)]
    [InlineData("/usr/local/bin/llama-server", null)]
    public void Bundled_gpu_variants_are_known_by_their_folder(string path, string? variant) =>
        Assert.Equal(variant, GpuDetection.VariantOf(path));

    [Fact]
    public async Task A_bundled_vulkan_build_offloads_every_layer()
    {
        Fake("app/linux-x64-vulkan/llama-server", CpuDevices); // the folder alone says GPU
        var (binary, yaml) = await GenerateAsync(pathVariable: null);
        Assert.True(binary!.HasGpu);
        Assert.Equal("999", After(yaml, "-ngl"));
    }

    [Fact]
    public async Task A_build_listing_a_gpu_offloads_the_layers_models_yaml_asks_for()
    {
        var bin = Path.GetDirectoryName(Fake("bin/llama-server", CudaDevices))!;
        var (binary, yaml) = await GenerateAsync(bin, "settings:\n  gpuLayers: 24\n");
        Assert.Equal(2, binary!.GpuDevices.Count);
        Assert.Equal("24", After(yaml, "-ngl"));
    }

    [Fact]
    public async Task A_cpu_build_gets_no_gpu_flags_even_when_models_yaml_sets_layers()
    {
        var bin = Path.GetDirectoryName(Fake("bin/llama-server", CpuDevices))!;
        var (binary, yaml) = await GenerateAsync(bin, "settings:\n  gpuLayers: 24\n");
        Assert.False(binary!.HasGpu);
        Assert.DoesNotContain("-ngl", Command(yaml));
    }

    private async Task<(LocatedBinary? Binary, string Yaml)> GenerateAsync(string? pathVariable, string modelsYaml = "")
    {
        Directory.CreateDirectory(P("models"));
        Directory.CreateDirectory(P("home"));
        SmallGguf.Write(P("models/llama-3.2-1b-instruct-q4_k_m.gguf"), chatTemplate: "t");
        File.WriteAllText(P("home/models.yaml"), modelsYaml);
        var generator = new CatalogGenerator(new CatalogOptions
        {
            ModelDirectories = [P("models")],
            BundledDirectory = null,
            HomeDirectory = P("home"),
            EngineCommand = ["modelswap"],
            Locator = new BinaryLocatorOptions { BaseDirectory = P("app"), PathVariable = pathVariable, Platform = new BinaryPlatform("linux", "x64") },
            SettleTime = TimeSpan.Zero,
        });
        var generation = await generator.GenerateAsync(write: false);
        Assert.Empty(generation.Errors);
        return (generation.LlamaServer, generation.Yaml);
    }

    private static IReadOnlyList<string> Command(string yaml) =>
        ConfigLoader.Parse(yaml, "x.yaml", new ConfigLoadOptions { IsPortFree = _ => true }).Config!.Models["llama3.2:1b-instruct"].Command;

    private static string After(string yaml, string flag)
    {
        var command = Command(yaml);
        var at = command.ToList().IndexOf(flag);
        Assert.True(at >= 0, $"{flag} missing from {string.Join(' ', command)}");
        return command[at + 1];
    }
}
