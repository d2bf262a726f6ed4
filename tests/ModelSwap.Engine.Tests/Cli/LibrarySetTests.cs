using System.Net;
using System.Text.Json;
using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Engine.Hosting;
using ModelSwap.Engine.Tests.Support;
using ModelSwap.Testing;

namespace ModelSwap.Engine.Tests.Cli;

/// <summary>
/// The engine on both llama.cpp library sets, each named explicitly: `--native-dir DIR` with the build
/// of scripts/build-engine-natives.sh (its structs patched to LLamaSharp's layout: a wrong layout
/// corrupts silently, so it is exercised here on every machine, CI included) and `--native-dir prebuilt`
/// (LLamaSharp.Backend.Cpu's). The rest of the suite runs the prebuilt set only (tests/PrebuiltEngineLibraries.cs).
/// Random weights: replies are nonsense; the protocol, the shapes and agreement between the sets are the checks.
/// </summary>
public sealed class LibrarySetTests(LibrarySetEngines engines) : IClassFixture<LibrarySetEngines>
{
    private const string Tool = """
        {"type":"function","function":{"name":"get_weather","parameters":{"type":"object",
         "properties":{"city":{"type":"string","maxLength":12},"unit":{"type":"string","enum":["c","f"]}},"required":["city","unit"]}}}
        """;

    [Theory]
    [InlineData(LibrarySetEngines.Built, "llama.cpp native library: built for this CPU (")]
    [InlineData(LibrarySetEngines.Prebuilt, "llama.cpp native library: LLamaSharp.Backend.Cpu prebuilt (")]
    public async Task The_log_names_the_libraries_that_loaded(string set, string line)
    {
        var engine = await engines.ForAsync(set);
        foreach (var process in new[] { engine.Chat, engine.Embed })
        {
            // Logged before the model is ready; the asynchronous reader may deliver it a moment after /health.
            await TestEngine.WaitUntilAsync(() => process.StderrSoFar.Contains("llama.cpp native library: ", StringComparison.Ordinal), "the engine logs its libraries");
            var log = process.StderrSoFar;
            Assert.Contains(line, log, StringComparison.Ordinal);
            Assert.DoesNotContain("not used (", log, StringComparison.Ordinal);
            if (set == LibrarySetEngines.Built)
            {
                // The loaded file is the build's own, not a prebuilt one that happens to exist too.
                var folder = new DirectoryInfo(engine.NativeDir);
                var real = folder.ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? folder.FullName;
                Assert.Contains($"({real.TrimEnd('/')}/libllama.so", log, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData(LibrarySetEngines.Built)]
    [InlineData(LibrarySetEngines.Prebuilt)]
    public async Task A_greedy_chat_completion_repeats_itself(string set)
    {
        var engine = await engines.ForAsync(set);
        const string request = """{"model":"tiny","messages":[{"role":"user","content":"Tell me a story."}],"max_tokens":12,"temperature":0}""";

        var (status, first) = await HttpJson.PostAsync(engine.ChatHttp, "/v1/chat/completions", request);
        var (_, second) = await HttpJson.PostAsync(engine.ChatHttp, "/v1/chat/completions", request);

        Assert.Equal(HttpStatusCode.OK, status);
        var choice = first.GetProperty("choices")[0];
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(12, first.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(choice.GetProperty("message").GetProperty("content").GetString(),
            second.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Theory]
    [InlineData(LibrarySetEngines.Built)]
    [InlineData(LibrarySetEngines.Prebuilt)]
    public async Task Embeddings_are_distinct_unit_vectors(string set)
    {
        var vectors = await EmbedAsync(set);

        Assert.Equal(2, vectors.Count);
        Assert.All(vectors, v => Assert.Equal(64, v.Length));
        Assert.All(vectors, v => Assert.Equal(1.0, Math.Sqrt(v.Sum(x => (double)x * x)), 4));
        Assert.NotEqual(vectors[0], vectors[1]);
    }

    [Theory]
    [InlineData(LibrarySetEngines.Built)]
    [InlineData(LibrarySetEngines.Prebuilt)]
    public async Task A_required_tool_call_parses(string set)
    {
        var engine = await engines.ForAsync(set);
        var (status, body) = await HttpJson.PostAsync(engine.ChatHttp, "/v1/chat/completions", $$"""
            {"model":"tiny","messages":[{"role":"user","content":"Weather in Paris?"}],"tools":[{{Tool}}],
             "tool_choice":"required","parallel_tool_calls":false,"max_tokens":400,"seed":5}
            """);

        Assert.True(status == HttpStatusCode.OK, body.ToString());
        var choice = body.GetProperty("choices")[0];
        Assert.True(choice.GetProperty("finish_reason").GetString() == "tool_calls", body.ToString());
        var call = Assert.Single(choice.GetProperty("message").GetProperty("tool_calls").EnumerateArray());
        Assert.Equal("get_weather", call.GetProperty("function").GetProperty("name").GetString());
        using var arguments = JsonDocument.Parse(call.GetProperty("function").GetProperty("arguments").GetString()!);
        Assert.True(arguments.RootElement.GetProperty("city").GetString()!.Length <= 12);
        Assert.Contains(arguments.RootElement.GetProperty("unit").GetString(), new[] { "c", "f" });
    }

    [Fact]
    public async Task Both_sets_read_an_image_into_the_same_prompt_tokens()
    {
        // mtmd_context_params is one of the three patched structs: a wrong layout would misread the projector's options.
        var image = TestImages.DataUrl(TestImages.Png(24, 24));
        var request = $$$"""
            {"model":"tiny","max_tokens":2,"messages":[{"role":"user","content":[{"type":"text","text":"What is in it?"},
             {"type":"image_url","image_url":{"url":"{{{image}}}"}},{"type":"text","text":"Be brief."}]}]}
            """;
        var counts = new List<int>();
        foreach (var set in new[] { LibrarySetEngines.Built, LibrarySetEngines.Prebuilt })
        {
            var (status, body) = await HttpJson.PostAsync((await engines.ForAsync(set)).ChatHttp, "/v1/chat/completions", request);
            Assert.True(status == HttpStatusCode.OK, $"{set}: {body}");
            counts.Add(body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        }

        Assert.True(counts[0] > TinyProjectorBuilder.ImageTokens, $"{counts[0]} prompt tokens");
        Assert.Equal(counts[0], counts[1]);
    }

    [Fact]
    public async Task Both_sets_embed_alike()
    {
        // Same weights, same pooling: only the kernels' rounding may differ. A misread llama_context_params
        // (the embeddings flag, the pooling type) gives other vectors altogether.
        var built = await EmbedAsync(LibrarySetEngines.Built);
        var prebuilt = await EmbedAsync(LibrarySetEngines.Prebuilt);

        for (var i = 0; i < built.Count; i++)
        {
            var cosine = built[i].Zip(prebuilt[i], (a, b) => (double)a * b).Sum();
            Assert.True(cosine > 0.999, $"input {i}: cosine similarity {cosine} between the sets' embeddings");
        }
    }

    [Fact]
    public async Task The_suites_in_process_engines_run_the_prebuilt_libraries()
    {
        // tests/PrebuiltEngineLibraries.cs pins them, whatever ~/.cache/modelswap/engine-natives holds on this machine.
        await using var engine = await TestEngine.StartAsync(new EngineOptions { ModelPath = engines.Chat, ContextSize = 64, Parallel = 1 });

        var loaded = NativeLibraries.LoadedLlamaLibrary();
        Assert.NotNull(loaded);
        Assert.Contains("/runtimes/", loaded, StringComparison.Ordinal);
    }

    private async Task<List<float[]>> EmbedAsync(string set)
    {
        var engine = await engines.ForAsync(set);
        var (status, body) = await HttpJson.PostAsync(engine.EmbedHttp, "/v1/embeddings", """{"model":"embed","input":["the cat sat","a dog runs far"]}""");
        Assert.True(status == HttpStatusCode.OK, $"{set}: {body}");
        return body.GetProperty("data").EnumerateArray()
            .Select(item => item.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToList();
    }
}
