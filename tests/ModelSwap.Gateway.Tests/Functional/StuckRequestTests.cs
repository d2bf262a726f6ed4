using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ModelSwap.Gateway.Tests.Functional;

/// <summary>No stuck requests: idle timeouts, a swap that ends what it waited on too long, cancel by id.</summary>
public sealed class StuckRequestTests
{
    [Fact]
    public async Task A_hung_upstream_is_answered_504_after_the_idle_timeout()
    {
        await using var host = await GatewayTestHost.StartAsync($"""
            models:
              model-a:
                cmd: {GatewayTestHost.FakeCmd("a")}
                timeouts:
                  idle: 1
            """);
        await host.ChatAsync("model-a");

        var error = await host.ChatAsync("model-a", new { fake_hang = true }, HttpStatusCode.GatewayTimeout);

        Assert.Equal("upstream_idle_timeout", error["error"]!["code"]!.GetValue<string>());
        Assert.Contains("timeouts.idle", error["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_stream_that_falls_silent_ends_with_an_error_event()
    {
        await using var host = await GatewayTestHost.StartAsync($"""
            models:
              model-a:
                cmd: {GatewayTestHost.FakeCmd("a")}
                timeouts:
                  idle: 1
            """);

        using var response = await host.Client.PostAsJsonAsync("/v1/chat/completions",
            new { model = "model-a", stream = true, fake_chunks = 3, fake_hang = true, fake_hang_after_chunks = 1 });
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("chunk0", body);
        Assert.DoesNotContain("chunk1", body);
        var lastEvent = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Last();
        Assert.StartsWith("data: ", lastEvent);
        Assert.Equal("upstream_idle_timeout", JsonNode.Parse(lastEvent["data: ".Length..])!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_response_header_timeout_answers_504()
    {
        await using var host = await GatewayTestHost.StartAsync($"""
            models:
              model-a:
                cmd: {GatewayTestHost.FakeCmd("a")}
                timeouts:
                  responseHeader: 1
                  connect: 5
                  keepalive: 10
                  idleConn: 30
                  tlsHandshake: 10
            """);
        await host.ChatAsync("model-a");

        var error = await host.ChatAsync("model-a", new { fake_hang = true }, HttpStatusCode.GatewayTimeout);

        Assert.Equal("upstream_header_timeout", error["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_swap_is_not_wedged_by_a_hung_request()
    {
        await using var host = await GatewayTestHost.StartAsync($"""
            swapWaitTimeout: 1
            models:
              model-a:
                cmd: {GatewayTestHost.FakeCmd("a")}
              model-b:
                cmd: {GatewayTestHost.FakeCmd("b")}
            """);
        await host.ChatAsync("model-a");
        var hung = host.ChatAsync("model-a", new { fake_hang = true }, HttpStatusCode.ServiceUnavailable);
        await SwappingTests.WaitUntilAsync(async () => (await RequestsAsync(host)).Any(r => r["state"]!.GetValue<string>() == "forwarding"));

        var answer = await host.ChatAsync("model-b");

        Assert.Equal("b", answer["fake"]!["upstream"]!.GetValue<string>());
        var error = await hung;
        Assert.Equal("swap_timeout", error["error"]!["code"]!.GetValue<string>());
        Assert.Contains("model-b", error["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_in_flight_request_is_listed_and_can_be_cancelled()
    {
        await using var host = await GatewayTestHost.StartAsync($"""
            models:
              model-a:
                cmd: {GatewayTestHost.FakeCmd("a")}
            """);
        await host.ChatAsync("model-a");
        var hung = host.ChatAsync("model-a", new { fake_hang = true }, HttpStatusCode.ServiceUnavailable);
        JsonNode? listed = null;
        await SwappingTests.WaitUntilAsync(async () => (listed = (await RequestsAsync(host)).FirstOrDefault()) is not null);
        Assert.Equal("model-a", listed!["model"]!.GetValue<string>());
        Assert.Equal("POST /v1/chat/completions", listed["route"]!.GetValue<string>());
        Assert.StartsWith("127.0.0.1:", listed["client"]!.GetValue<string>());
        Assert.True(listed["started"] is not null);
        var id = listed["id"]!.GetValue<string>();

        using var cancel = await host.Client.PostAsync($"/api/requests/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);

        var error = await hung;
        Assert.Equal("request_cancelled", error["error"]!["code"]!.GetValue<string>());
        await SwappingTests.WaitUntilAsync(async () => (await RequestsAsync(host)).Count == 0);
        using var unknown = await host.Client.PostAsync($"/api/requests/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("request_not_found", (await unknown.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>());
        // The model is unharmed: the next request is served by the same server.
        await host.ChatAsync("model-a");
    }

    private static async Task<List<JsonNode>> RequestsAsync(GatewayTestHost host)
    {
        var list = await host.Client.GetFromJsonAsync<JsonObject>("/api/requests");
        return [.. list!["requests"]!.AsArray().Select(r => r!)];
    }
}
