using System.Diagnostics;
using System.Net;
using ModelSwap.Engine.Tests.Support;
using ModelSwap.Testing;

namespace ModelSwap.Engine.Tests.Cli;

/// <summary>The real `modelswap engine` child process, as the gateway starts it.</summary>
public sealed class EngineProcessTests(TinyModels models) : IClassFixture<TinyModels>
{
    [Fact]
    public async Task EngineProcessStartsServesAndStopsOnSigterm()
    {
        using var engine = EngineProcess.Start("engine", "--model", models.Chat, "--port", "0", "--alias", "tiny", "--ctx-size", "256");
        try
        {
            var address = await engine.WaitForAddressAsync();
            using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
            await engine.WaitUntilHealthyAsync(http);

            var (status, body) = await HttpJson.PostAsync(http, "/v1/chat/completions", """{"model":"tiny","messages":[{"role":"user","content":"hi"}],"max_tokens":4}""");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal(4, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());

            await SendSigtermAsync(engine.Process.Id);
            await engine.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
            Assert.Equal(0, engine.Process.ExitCode);
            // llama.cpp's load chatter stays out of the output at the default log level.
            Assert.DoesNotContain("llama_model_loader", engine.Stderr, StringComparison.Ordinal);
            Assert.Contains("ready in", engine.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            engine.KillIfRunning();
        }
    }

    [Fact]
    public async Task EngineProcessReadsImagesWithTheProjectorGivenByMmprojAndFetchesNoUrlsWithNoImageUrls()
    {
        var projector = Path.Combine(models.Directory, "mmproj-process.gguf");
        Core.Catalog.Gguf.TinyProjectorBuilder.Write(projector);
        using var engine = EngineProcess.Start("engine", "--model", models.Chat, "--mmproj", projector, "--port", "0", "--alias", "seer", "--ctx-size", "256", "--parallel", "1", "--no-image-urls");
        try
        {
            var address = await engine.WaitForAddressAsync();
            using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
            await engine.WaitUntilHealthyAsync(http);

            var image = TestImages.DataUrl(TestImages.Png(16, 16));
            var (status, body) = await HttpJson.PostAsync(http, "/v1/chat/completions",
                $$$"""{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"{{{image}}}"}},{"type":"text","text":"hi"}]}],"max_tokens":2}""");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.True(body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32() > Core.Catalog.Gguf.TinyProjectorBuilder.ImageTokens);

            // Refused before any connection is tried, so the URL needs no server.
            var (urlStatus, refused) = await HttpJson.PostAsync(http, "/v1/chat/completions",
                """{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"http://127.0.0.1:9/cat.png"}},{"type":"text","text":"hi"}]}],"max_tokens":2}""");
            Assert.Equal(HttpStatusCode.BadRequest, urlStatus);
            Assert.Equal("image_urls_disabled", refused.GetProperty("error").GetProperty("code").GetString());
        }
        finally
        {
            engine.KillIfRunning();
        }
    }

    [Fact]
    public async Task MissingProjectorFileExitsWithInvalidInput()
    {
        using var engine = EngineProcess.Start("engine", "--model", models.Chat, "--mmproj", Path.Combine(models.Directory, "no-mmproj.gguf"), "--port", "0");
        await engine.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, engine.Process.ExitCode);
        Assert.Contains("--mmproj: file not found", engine.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingModelFileExitsWithInvalidInput()
    {
        using var engine = EngineProcess.Start("engine", "--model", Path.Combine(models.Directory, "nope.gguf"), "--port", "0");
        await engine.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, engine.Process.ExitCode);
        Assert.Contains("file not found", engine.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadNumbersExitWithInvalidInput()
    {
        using var engine = EngineProcess.Start("engine", "--model", models.Chat, "--port", "0", "--parallel", "0", "--threads", "-1");
        await engine.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, engine.Process.ExitCode);
        Assert.Contains("--parallel: 0 is out of range", engine.Stderr, StringComparison.Ordinal);
        Assert.Contains("--threads: -1 is out of range", engine.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnloadableModelExitsNonZeroWithTheReason()
    {
        var path = Path.Combine(models.Directory, "broken.gguf");
        var bytes = await File.ReadAllBytesAsync(models.Chat);
        await File.WriteAllBytesAsync(path, bytes[..4096]);

        using var engine = EngineProcess.Start("engine", "--model", path, "--port", "0");
        await engine.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(1, engine.Process.ExitCode);
        Assert.Contains("Failed to load model", engine.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnusableNativeDirFallsBackToThePrebuiltLibrariesAndSaysSo()
    {
        // A build for another LLamaSharp: its structs would not match, so the engine must not load it.
        var natives = Directory.CreateDirectory(Path.Combine(models.Directory, "natives-" + Guid.NewGuid().ToString("N")));
        foreach (var name in new[] { "libllama.so", "libmtmd.so" })
            await File.WriteAllTextAsync(Path.Combine(natives.FullName, name), "not a library");
        await File.WriteAllTextAsync(Path.Combine(natives.FullName, "abi"), "LLamaSharp 0.1.0\n");

        using var engine = EngineProcess.Start("engine", "--model", models.Chat, "--port", "0", "--ctx-size", "256", "--native-dir", natives.FullName);
        try
        {
            var address = await engine.WaitForAddressAsync();
            using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
            await engine.WaitUntilHealthyAsync(http);

            var (status, _) = await HttpJson.PostAsync(http, "/v1/completions", """{"prompt":"hi","max_tokens":2}""");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains($"Native libraries in {natives.FullName} not used (built for LLamaSharp 0.1.0", engine.Stderr, StringComparison.Ordinal);
            Assert.Contains("llama.cpp native library: LLamaSharp.Backend.Cpu prebuilt (", engine.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            engine.KillIfRunning();
        }
    }

    /// <summary>What a process manager (and the gateway) sends to stop the engine.</summary>
    private static async Task SendSigtermAsync(int pid)
    {
        using var kill = Process.Start("kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }
}
