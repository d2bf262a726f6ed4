using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ModelSwap.Gateway.Hosting;
using ModelSwap.Gateway.Management;
using ModelSwap.Gateway.Tests.Functional;

namespace ModelSwap.Gateway.Tests.Activity;

/// <summary>Requests through a real gateway to a real fake upstream end up in /api/activity with the upstream's own figures.</summary>
public sealed class ActivityApiTests
{
    private static string Yaml => $"""
        models:
          model-a:
            cmd: {GatewayTestHost.FakeCmd("a")}
        """;

    [Fact]
    public async Task A_streamed_chat_is_recorded_with_usage_timings_and_text_and_published()
    {
        await using var host = await GatewayTestHost.StartAsync(Yaml);
        using var subscription = host.App.Services.GetRequiredService<EventHub>().Subscribe();
        var body = new JsonObject
        {
            ["model"] = "model-a", ["stream"] = true, ["stream_options"] = new JsonObject { ["include_usage"] = true },
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hi" }),
        };
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(body) })
        {
            request.Headers.UserAgent.ParseAdd("activity-test/1.0");
            using var response = await host.Client.SendAsync(request);
            Assert.Contains("data: [DONE]", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        var entry = await FirstEntryAsync(host);
        Assert.Equal("model-a", entry["model"]!.GetValue<string>());
        Assert.Equal("POST /v1/chat/completions", entry["route"]!.GetValue<string>());
        Assert.Equal("activity-test/1.0", entry["userAgent"]!.GetValue<string>());
        Assert.Equal(200, entry["status"]!.GetValue<int>());
        Assert.Equal("completed", entry["outcome"]!.GetValue<string>());
        Assert.Equal(1, entry["promptTokens"]!.GetValue<int>());
        Assert.Equal(3, entry["generatedTokens"]!.GetValue<int>());
        Assert.Equal(400, entry["tokensPerSecond"]!.GetValue<double>()); // the fake's timings: 3 tokens in 7.5 ms
        Assert.True(entry["streamed"]!.GetValue<bool>());
        Assert.NotNull(entry["timeToFirstTokenMs"]);

        var detail = await host.Client.GetFromJsonAsync<JsonObject>($"/api/activity/{entry["id"]}");
        Assert.Equal("chunk0 chunk1 chunk2 ", detail!["responseExcerpt"]!.GetValue<string>());
        Assert.Contains("\"include_usage\"", detail["requestExcerpt"]!.GetValue<string>(), StringComparison.Ordinal);

        var published = false;
        while (!published && subscription.Reader.TryRead(out var item))
        {
            published = item.Name == ServerEventNames.Activity && item.Data.Contains("\"model-a\"", StringComparison.Ordinal);
        }
        Assert.True(published, "no activity event was published");

        var summary = await host.Client.GetFromJsonAsync<JsonObject>("/api/activity/summary");
        var series = summary!["models"]!.AsArray().Single()!;
        Assert.Equal(1, series["requests"]!.GetValue<int>());
        Assert.Equal(60, series["buckets"]!.AsArray().Count);
    }

    [Fact]
    public async Task Whole_answers_failures_and_cancelled_requests_are_recorded_and_filtered()
    {
        await using var host = await GatewayTestHost.StartAsync(Yaml);
        await host.ChatAsync("model-a", new { fake_chunks = 4 });
        var hung = host.ChatAsync("model-a", new { fake_hang = true }, HttpStatusCode.ServiceUnavailable);
        string? id = null;
        await SwappingTests.WaitUntilAsync(async () =>
        {
            var list = await host.Client.GetFromJsonAsync<JsonObject>("/api/requests");
            var first = list!["requests"]!.AsArray().FirstOrDefault();
            id = first?["id"]?.GetValue<string>();
            Assert.True(first is null || first["tokensSoFar"] is not null);
            return id is not null;
        }, seconds: 60);
        using (await host.Client.PostAsync($"/api/requests/{id}/cancel", null))
        {
        }
        await hung;

        var entries = await EntriesAsync(host, "", count: 2);
        var cancelled = entries.Single(e => e["outcome"]!.GetValue<string>() == "cancelled");
        Assert.Equal(503, cancelled["status"]!.GetValue<int>());
        var whole = entries.Single(e => e["outcome"]!.GetValue<string>() == "completed");
        Assert.Equal(4, whole["generatedTokens"]!.GetValue<int>());
        Assert.False(whole["streamed"]!.GetValue<bool>());
        var detail = await host.Client.GetFromJsonAsync<JsonObject>($"/api/activity/{cancelled["id"]}");
        Assert.Contains("cancelled", detail!["error"]!.GetValue<string>(), StringComparison.Ordinal);

        Assert.Single(await EntriesAsync(host, "?status=5xx", count: 1));
        Assert.Single(await EntriesAsync(host, "?status=2xx", count: 1));
        Assert.Empty(await EntriesAsync(host, "?model=other", count: 0));
        var page = await host.Client.GetFromJsonAsync<JsonObject>("/api/activity?limit=1");
        Assert.NotNull(page!["nextBefore"]);
    }

    [Fact]
    public async Task An_ollama_chat_is_recorded_from_the_upstream_answer_it_translated()
    {
        await using var host = await GatewayTestHost.StartAsync(Yaml);
        const string body = """{"model":"model-a","stream":true,"messages":[{"role":"user","content":"hi from ollama"}]}""";
        using (var response = await host.Client.PostAsync("/api/chat", new StringContent(body, System.Text.Encoding.UTF8, "application/json")))
        {
            response.EnsureSuccessStatusCode();
            Assert.Contains("\"done\":true", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        var entry = await FirstEntryAsync(host);
        Assert.Equal("POST /api/chat", entry["route"]!.GetValue<string>());
        Assert.Equal("completed", entry["outcome"]!.GetValue<string>());
        Assert.Equal(3, entry["generatedTokens"]!.GetValue<int>());
        var detail = await host.Client.GetFromJsonAsync<JsonObject>($"/api/activity/{entry["id"]}");
        Assert.Equal("chunk0 chunk1 chunk2 ", detail!["responseExcerpt"]!.GetValue<string>());
        Assert.Contains("hi from ollama", detail["requestExcerpt"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ollama_embed_and_embeddings_are_recorded_with_the_upstream_token_count()
    {
        await using var host = await GatewayTestHost.StartAsync(Yaml);
        foreach (var (path, body) in new[]
        {
            ("/api/embed", """{"model":"model-a","input":["embed this"]}"""),
            ("/api/embeddings", """{"model":"model-a","prompt":"embed that"}"""),
        })
        {
            using var response = await host.Client.PostAsync(path, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }
        var entries = await EntriesAsync(host, "", count: 2);
        foreach (var (route, input) in new[] { ("POST /api/embed", "embed this"), ("POST /api/embeddings", "embed that") })
        {
            var entry = entries.Single(e => e["route"]!.GetValue<string>() == route);
            Assert.Equal("model-a", entry["model"]!.GetValue<string>());
            Assert.Equal(200, entry["status"]!.GetValue<int>());
            Assert.Equal("completed", entry["outcome"]!.GetValue<string>());
            Assert.Equal(1, entry["promptTokens"]!.GetValue<int>()); // the fake's usage.prompt_tokens
            Assert.False(entry["streamed"]!.GetValue<bool>());
            var detail = await host.Client.GetFromJsonAsync<JsonObject>($"/api/activity/{entry["id"]}");
            Assert.Contains(input, detail!["requestExcerpt"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Contains("\"embedding\"", detail["responseExcerpt"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_streaming_request_shows_its_tokens_so_far_in_requests_and_in_request_events()
    {
        await using var host = await GatewayTestHost.StartAsync(Yaml);
        using var subscription = host.App.Services.GetRequiredService<EventHub>().Subscribe();
        // Three chunks, then the fake falls silent: the request stays in flight with its tokens counted as they passed.
        var body = new JsonObject
        {
            ["model"] = "model-a", ["stream"] = true, ["fake_hang"] = true, ["fake_chunks"] = 6, ["fake_hang_after_chunks"] = 3,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hi" }),
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(body) };
        using var response = await host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        JsonNode? row = null;
        await SwappingTests.WaitUntilAsync(async () =>
        {
            var list = await host.Client.GetFromJsonAsync<JsonObject>("/api/requests");
            row = list!["requests"]!.AsArray().SingleOrDefault();
            return row?["tokensSoFar"]!.GetValue<int>() == 3;
        }, seconds: 60);
        Assert.Equal("forwarding", row!["state"]!.GetValue<string>());

        // The events told the same story as it happened: the request arrived, was forwarded, generated tokens.
        var seen = new List<JsonObject>();
        while (subscription.Reader.TryRead(out var item))
        {
            if (item.Name == ServerEventNames.Request)
            {
                seen.Add(JsonNode.Parse(item.Data)!.AsObject());
            }
        }
        Assert.All(seen, e => Assert.Equal(row["id"]!.GetValue<string>(), e["id"]!.GetValue<string>()));
        Assert.Contains(seen, e => e["state"]!.GetValue<string>() == "queued");
        Assert.Contains(seen, e => e["state"]!.GetValue<string>() == "forwarding" && e["tokensSoFar"]!.GetValue<int>() >= 1);

        using (await host.Client.PostAsync($"/api/requests/{row["id"]}/cancel", null))
        {
        }
        await SwappingTests.WaitUntilAsync(async () =>
            (await host.Client.GetFromJsonAsync<JsonObject>("/api/requests"))!["requests"]!.AsArray().Count == 0, seconds: 60);
    }

    [Theory]
    [InlineData("?status=7xx", "status")]
    [InlineData("?limit=0", "limit")]
    [InlineData("?limit=many", "limit")]
    [InlineData("?since=yesterday", "since")]
    public async Task A_bad_filter_is_a_400_naming_it(string query, string name)
    {
        await using var host = await GatewayTestHost.StartAsync(Yaml);
        using var response = await host.Client.GetAsync("/api/activity" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
        Assert.Equal("invalid_activity_filter", error["code"]!.GetValue<string>());
        Assert.StartsWith(name, error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        using var missing = await host.Client.GetAsync("/api/activity/424242");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task The_activity_routes_are_in_the_openapi_document()
    {
        await using var host = await GatewayTestHost.StartAsync(Yaml);
        var document = await host.Client.GetStringAsync("/openapi/v1.json");
        foreach (var path in new[] { "\"/api/activity\"", "\"/api/activity/summary\"", "\"/api/activity/{id}\"", "ActivityEntry", "ActivitySummary" })
        {
            Assert.Contains(path, document, StringComparison.Ordinal);
        }
    }

    private static async Task<JsonNode> FirstEntryAsync(GatewayTestHost host) => (await EntriesAsync(host, "", count: 1))[0];

    /// <summary>Waits until the history (written off the request path) has <paramref name="count"/> rows for the query.</summary>
    private static async Task<List<JsonNode>> EntriesAsync(GatewayTestHost host, string query, int count)
    {
        List<JsonNode> entries = [];
        await SwappingTests.WaitUntilAsync(async () =>
        {
            using var response = await host.Client.GetAsync("/api/activity" + query);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, text);
            var page = JsonNode.Parse(text)!.AsObject();
            entries = [.. page!["entries"]!.AsArray().Select(e => e!)];
            return entries.Count >= count;
        }, seconds: 60);
        return entries;
    }
}
