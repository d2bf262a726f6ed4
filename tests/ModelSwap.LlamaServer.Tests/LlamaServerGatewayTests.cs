using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ModelSwap.Testing;

namespace ModelSwap.LlamaServer.Tests;

/// <summary>
/// ModelSwap in front of the real llama-server: discovery finds it on PATH, the generated commands
/// start, and every kind of request goes through the gateway.
/// </summary>
public sealed class LlamaServerGatewayTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private ModelSwapServe Serve => fixture.Serve;

    [Fact]
    public async Task Discovery_picks_llama_server_and_the_generated_commands_start()
    {
        var generated = await File.ReadAllTextAsync(Path.Combine(Serve.Home, "config.generated.yaml"));
        Assert.Contains(LlamaServerBinary.Path, generated, StringComparison.Ordinal);

        var chat = await Serve.IdOfAsync(GatewayFixture.ChatA);
        await ChatAsync(chat);
        var command = (await Serve.RunningAsync(chat))!["cmd"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        Assert.Equal(LlamaServerBinary.Path, command[0]);
        Assert.DoesNotContain("--jinja", command);
        Assert.DoesNotContain("-ngl", command); // a CPU build: no GPU flags
        // models.yaml: draft: itself.
        Assert.EndsWith(GatewayFixture.ChatA, command[command.IndexOf("-md") + 1], StringComparison.Ordinal);
        Assert.Equal("draft-simple", command[command.IndexOf("--spec-type") + 1]);
        Assert.Equal(100, (await Serve.RunningAsync(chat))!["progress"]!.GetValue<int>());
    }

    [Fact]
    public async Task Chat_stream_completions_responses_and_upstream_props_through_the_gateway()
    {
        var chat = await Serve.IdOfAsync(GatewayFixture.ChatA);
        var reply = await ChatAsync(chat);
        Assert.False(string.IsNullOrEmpty(reply["choices"]![0]!["message"]!["content"]!.GetValue<string>()));
        Assert.Equal(4, reply["usage"]!["completion_tokens"]!.GetValue<int>());

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = chat, messages = new[] { new { role = "user", content = "hello" } }, max_tokens = 6, stream = true }),
        };
        using var stream = await Serve.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (stream.StatusCode != HttpStatusCode.OK)
        {
            Assert.Fail($"stream: {(int)stream.StatusCode} {await stream.Content.ReadAsStringAsync()}\n{await Serve.DiagnosticsAsync()}");
        }
        var lines = (await stream.Content.ReadAsStringAsync()).Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).ToList();
        Assert.Equal("data: [DONE]", lines[^1]);
        Assert.True(lines.Count(l => l.Contains("\"content\":", StringComparison.Ordinal)) >= 2, string.Join('\n', lines));

        // alpha drafts for itself: greedy decoding accepts every drafted token.
        var completion = await Serve.PostAsync("/v1/completions", new { model = chat, prompt = "hello", max_tokens = 16, temperature = 0, top_k = 1 });
        Assert.False(string.IsNullOrEmpty(completion["choices"]![0]!["text"]!.GetValue<string>()));
        var drafted = completion["timings"]!["draft_n"]!.GetValue<int>();
        Assert.True(drafted > 0, completion.ToJsonString());
        Assert.Equal(drafted, completion["timings"]!["draft_n_accepted"]!.GetValue<int>());

        var response = await Serve.PostAsync("/v1/responses", new { model = chat, input = "hello", max_output_tokens = 4 });
        Assert.Equal("response", response["object"]!.GetValue<string>());
        Assert.Contains(response["output"]!.AsArray(), o => o!["type"]!.GetValue<string>() == "message");

        var props = await Serve.Client.GetFromJsonAsync<JsonObject>($"/upstream/{chat}/props");
        Assert.EndsWith(GatewayFixture.ChatA, props!["model_path"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embeddings_and_rerank_through_the_gateway()
    {
        var embed = await Serve.IdOfAsync(GatewayFixture.Embed);
        var vector = (await Serve.PostAsync("/v1/embeddings", new { model = embed, input = "hello world" }))["data"]![0]!["embedding"]!.AsArray()
            .Select(v => v!.GetValue<double>()).ToArray();
        Assert.Equal(64, vector.Length);
        Assert.Equal(1.0, Math.Sqrt(vector.Sum(v => v * v)), 3);

        // The reranker is found from its GGUF (rank pooling, classification head) and takes the rerank aliases.
        var reranker = await Serve.IdOfAsync(GatewayFixture.Reranker);
        var models = await Serve.Client.GetFromJsonAsync<JsonObject>("/v1/models");
        var aliases = models!["data"]!.AsArray().First(m => m!["id"]!.GetValue<string>() == reranker)!["aliases"]!.AsArray().Select(a => a!.GetValue<string>());
        Assert.Contains("rerank-v3.5", aliases);
        var ranked = await Serve.PostAsync("/v1/rerank", new
        {
            model = "rerank-v3.5",
            query = "what is a cat",
            documents = new[] { "the cat is good", "the dog was there", "water" },
        });
        var results = ranked["results"]!.AsArray();
        Assert.Equal([0, 1, 2], results.Select(r => r!["index"]!.GetValue<int>()).Order().ToArray());
        Assert.All(results, r => Assert.InRange(r!["relevance_score"]!.GetValue<double>(), 0, 1));
        var command = (await Serve.RunningAsync(reranker))!["cmd"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        Assert.Contains("--reranking", command);
    }

    [Fact]
    public async Task Chat_models_swap_beside_the_persistent_embedder_and_unload_on_ttl()
    {
        var embed = await Serve.IdOfAsync(GatewayFixture.Embed);
        await Serve.PostAsync("/v1/embeddings", new { model = embed, input = "warm" });
        var embedPid = await Serve.PidAsync(embed);

        var a = await Serve.IdOfAsync(GatewayFixture.ChatA);
        var b = await Serve.IdOfAsync(GatewayFixture.ChatB);
        await ChatAsync(a);
        var pidA = await Serve.PidAsync(a);
        await ChatAsync(b);
        Assert.True(await ProcessProbe.WaitForExitAsync(pidA, ModelSwapServe.HangGuard), "alpha's llama-server should be swapped out");
        Assert.Equal(embedPid, await Serve.PidAsync(embed));

        // beta has ttl: 1 in models.yaml.
        var pidB = await Serve.PidAsync(b);
        Assert.True(await ProcessProbe.WaitForExitAsync(pidB, ModelSwapServe.HangGuard), "beta's llama-server should unload after its TTL");
        // The coordinator records the stop once the process is gone: poll, bounded by the hang guard.
        var deadline = DateTime.UtcNow + ModelSwapServe.HangGuard;
        while (await Serve.RunningAsync(b) is not null)
        {
            Assert.True(DateTime.UtcNow < deadline, "beta still listed in /running after its process exited");
            await Task.Delay(50);
        }
        Assert.True(ProcessProbe.IsAlive(embedPid));
    }

    [Fact]
    public async Task Load_progress_of_a_starting_llama_server_reaches_the_event_stream()
    {
        var b = await Serve.IdOfAsync(GatewayFixture.ChatB);
        using var unload = await Serve.Client.PostAsync($"/api/models/unload/{b}", null);
        Assert.Equal(HttpStatusCode.OK, unload.StatusCode);

        using var cancel = new CancellationTokenSource(ModelSwapServe.HangGuard);
        using var events = await Serve.Client.GetAsync("/api/events", HttpCompletionOption.ResponseHeadersRead, cancel.Token);
        using var reader = new StreamReader(await events.Content.ReadAsStreamAsync(cancel.Token));

        var chat = ChatAsync(b);
        var progress = new List<int>();
        string? name = null;
        // Server-sent events: "event: NAME" then "data: JSON"; model events carry the model as /api/models shows it.
        while (await reader.ReadLineAsync(cancel.Token) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line[7..];
                continue;
            }
            if (name != "model" || !line.StartsWith("data: ", StringComparison.Ordinal))
            {
                continue;
            }
            var model = JsonNode.Parse(line[6..])!;
            if (model["id"]!.GetValue<string>() != b)
            {
                continue;
            }
            var live = model["live"]!;
            var state = live["state"]!.GetValue<string>();
            if (state == "starting" && live["loadPercent"] is { } percent)
            {
                progress.Add(percent.GetValue<int>());
            }
            if (state == "ready")
            {
                Assert.Equal(100, live["loadPercent"]!.GetValue<int>());
                break;
            }
        }
        await chat;
        Assert.True(progress.Count > 0, "no load progress was published while beta's llama-server started");
        Assert.Equal(progress.Order().ToList(), progress);
        Assert.All(progress, p => Assert.InRange(p, 0, 100));
    }

    private Task<JsonObject> ChatAsync(string model) =>
        Serve.PostAsync("/v1/chat/completions", new { model, messages = new[] { new { role = "user", content = "hello" } }, max_tokens = 4 });
}
