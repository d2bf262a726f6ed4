using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ModelSwap.Gateway.Tests.Functional;
using ModelSwap.Testing;

namespace ModelSwap.Gateway.Tests.Memory;

/// <summary>
/// sendLoadingState decides from the model scan's top-level "stream" (never from a "stream" key in a
/// message) and forwards the spooled body as sent — or rewritten, and with the model's own key —
/// whether the loading stream started or the model was ready.
/// </summary>
public sealed class LoadingStateBodyTests
{
    private static string Config(string extraArgs = "", string perModel = "") => $"""
        sendLoadingState: true
        models:
          slow:
            cmd: {GatewayTestHost.FakeCmd("slow", "--ready-delay 1500 " + extraArgs)}
            {perModel}
        """;

    public static TheoryData<string, bool> Bodies => new()
    {
        { """{"model":"slow","stream":true,"messages":[{"role":"user","content":"hi"}]}""", true },
        { """{"model":"slow","stream":false,"messages":[{"role":"user","content":"hi"}]}""", false },
        { """{"model":"slow","messages":[{"role":"user","content":"hi"}]}""", false },
        { """{"model":"slow","messages":[{"role":"user","content":"hi","stream":true}],"options":{"stream":true}}""", false },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Only_a_top_level_stream_true_gets_loading_messages(string body, bool loading)
    {
        await using var host = await GatewayTestHost.StartAsync(Config());
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await host.Client.PostAsync("/v1/chat/completions", content);
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.IsSuccessStatusCode, text);
        Assert.Equal(loading, text.Contains("reasoning_content", StringComparison.Ordinal));
        if (!loading)
        {
            // Not mistaken for a stream: the model's JSON answer, and the body it got is the one sent.
            Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(body), JsonNode.Parse(text)!["fake"]!["body"]), text);
        }
    }

    [Fact]
    public async Task A_chunked_body_with_a_long_string_is_relayed_rewritten_after_the_loading_messages()
    {
        await using var host = await GatewayTestHost.StartAsync(Config(perModel: "useModelName: upstream-name"));
        // Chunked (no Content-Length), one 3 MiB string: spooled to a file by the scan, rewritten on the way out.
        using var content = new StreamContent(new GeneratedBody(
            """{"model":"slow","stream":true,"fake_count_messages":true,"messages":[{"role":"system","content":"short"},{"role":"user","content":" """u8.ToArray(),
            3 * 1024 * 1024, "\"}]}"u8.ToArray()));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await host.Client.PostAsync("/v1/chat/completions", content);
        var chunks = await ChunksAsync(response);

        Assert.Contains(chunks, c => c["choices"]?[0]?["delta"]?["reasoning_content"] is not null);
        var answer = chunks.Where(c => c["choices"]?[0]?["delta"]?["content"] is not null).ToList();
        Assert.Equal("messages=2 chunk1 chunk2 ", string.Concat(answer.Select(c => c["choices"]![0]!["delta"]!["content"]!.GetValue<string>())));
        Assert.All(answer, c => Assert.Equal("upstream-name", c["model"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_relay_sends_the_models_own_key()
    {
        await using var host = await GatewayTestHost.StartAsync(Config(extraArgs: "--api-key model-secret"));
        using var content = new StringContent("""{"model":"slow","stream":true,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json");
        using var response = await host.Client.PostAsync("/v1/chat/completions", content);
        var chunks = await ChunksAsync(response);

        Assert.Contains(chunks, c => c["choices"]?[0]?["delta"]?["reasoning_content"] is not null);
        Assert.DoesNotContain(chunks, c => c["error"] is not null);
        Assert.Equal("chunk0 chunk1 chunk2 ", string.Concat(chunks.Select(c => c["choices"]?[0]?["delta"]?["content"]?.GetValue<string>())));
    }

    private static async Task<List<JsonNode>> ChunksAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e.Trim()).ToList();
        Assert.Equal("data: [DONE]", events[^1]);
        return events.Take(events.Count - 1).Select(e => JsonNode.Parse(e["data: ".Length..])!).ToList();
    }
}
