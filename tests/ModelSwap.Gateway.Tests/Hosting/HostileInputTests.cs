using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using ModelSwap.Gateway.Tests.Functional;
using ModelSwap.Testing;

namespace ModelSwap.Gateway.Tests.Hosting;

/// <summary>
/// The fuzz corpus's hard cases, for models with useModelName and filters (the bodies the gateway
/// rewrites) and without: never a 5xx, and the gateway keeps serving.
/// </summary>
public sealed class HostileInputTests
{
    private static Task<GatewayTestHost> StartAsync(string extra = "") => GatewayTestHost.StartAsync(extra + $"""
        models:
          model-r:
            cmd: {GatewayTestHost.FakeCmd("r")}
            useModelName: upstream-name
            filters:
              stripParams: "temperature, top_p"
              setParams:
                seed: 7
          model-a:
            cmd: {GatewayTestHost.FakeCmd("a")}
        """);

    public static TheoryData<string, string, string> Corpus => new()
    {
        { "model-r", "application/json", "{/* comment */ \"model\": \"model-r\", // line comment\n \"messages\": [{\"role\":\"user\",\"content\":\"hi\"}]}" },
        { "model-r", "application/json", """{"model":"model-r","temperature":1,"temperature":2,"messages":[]}""" },
        { "model-r", "application/json", """{"model":"model-r","messages":[{"role":"user","content":"\ud800"}]}""" },
        { "model-r", "application/json", """{"model":"\ud800"}""" },
        { "model-r", "application/json", "{\"model\":\"model-r\",\"\u00ff\u00fe\":1}" },
        { "model-r", "text/plain", """{"model":"model-r","messages":[]}""" },
        { "model-r", "application/json", """{"model":"model-r","messages":[""" },
        { "model-a", "application/json", """{"model":"model-a","a":1,"a":2} trailing""" },
        { "model-r", "multipart/form-data; boundary=xyz", "--xyz\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nmodel-r" },
        { "model-r", "multipart/form-data; boundary=xyz", "--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\nabc\r\n--xy" },
        { "model-r", "multipart/form-data", "no boundary at all" },
    };

    [Theory]
    [MemberData(nameof(Corpus))]
    public async Task Hostile_bodies_never_get_a_5xx(string model, string contentType, string body)
    {
        await using var host = await StartAsync();
        using var content = new ByteArrayContent(Encoding.Latin1.GetBytes(body));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var response = await host.Client.PostAsync("/v1/chat/completions", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode < 500, $"{model}: {(int)response.StatusCode}: {text}");
        using var health = await host.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Invalid_utf8_in_a_key_and_an_empty_body_with_a_query_model_are_not_5xx()
    {
        await using var host = await StartAsync();
        var bytes = Encoding.UTF8.GetBytes("{\"model\":\"model-r\",\"k\":1}");
        bytes[Array.IndexOf(bytes, (byte)'k')] = 0xC3; // a lead byte with no continuation
        using var invalid = new ByteArrayContent(bytes);
        invalid.Headers.ContentType = new("application/json");
        using var invalidResponse = await host.Client.PostAsync("/v1/chat/completions", invalid);
        Assert.Equal(HttpStatusCode.BadRequest, invalidResponse.StatusCode);

        using var empty = new ByteArrayContent([]);
        empty.Headers.ContentType = new("application/json");
        using var emptyResponse = await host.Client.PostAsync("/v1/chat/completions?model=model-r", empty);
        Assert.True((int)emptyResponse.StatusCode < 500, $"{(int)emptyResponse.StatusCode}: {await emptyResponse.Content.ReadAsStringAsync()}");
    }

    [Fact]
    public async Task Json_sent_as_text_plain_is_read_as_json()
    {
        await using var host = await StartAsync();
        using var content = new StringContent("""{"model":"model-a","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "text/plain");
        using var response = await host.Client.PostAsync("/v1/chat/completions", content);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("a", body["fake"]!["upstream"]!.GetValue<string>());

        // And rewritten for a model with useModelName.
        using var rewritten = new StringContent("""{"model":"model-r","temperature":1}""", Encoding.UTF8, "text/plain");
        using var rewrittenResponse = await host.Client.PostAsync("/v1/chat/completions", rewritten);
        var fake = JsonNode.Parse(await rewrittenResponse.Content.ReadAsStringAsync())!["fake"]!;
        Assert.Equal("upstream-name", fake["model"]!.GetValue<string>());
        Assert.Null(fake["body"]!["temperature"]);
        Assert.Equal(7, fake["body"]!["seed"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_truncated_body_and_a_too_slow_body_do_not_break_the_gateway()
    {
        await using var host = await StartAsync();
        var endpoint = new IPEndPoint(IPAddress.Loopback, host.Client.BaseAddress!.Port);
        const string head = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n";
        using (var truncated = new TcpClient())
        {
            await truncated.ConnectAsync(endpoint);
            var stream = truncated.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head + "{\"model\":\"model-r\","));
            truncated.Client.Shutdown(SocketShutdown.Send);
            var answer = await RawHttp.ReadResponseHeadAsync(stream);
            Assert.DoesNotContain("HTTP/1.1 5", answer, StringComparison.Ordinal);
        }
        using (var slow = new TcpClient())
        {
            // 20 bytes of a 1000-byte body, then nothing: below the minimum data rate, the body read
            // times out (after Kestrel's grace period) and the answer is 408, not 500.
            await slow.ConnectAsync(endpoint);
            await slow.GetStream().WriteAsync(Encoding.ASCII.GetBytes(head + "{\"model\":\"model-r\","));
            var answer = await RawHttp.ReadResponseHeadAsync(slow.GetStream());
            Assert.StartsWith("HTTP/1.1 408", answer, StringComparison.Ordinal);
        }
        using var health = await host.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Empty(await host.RunningAsync());
    }
}
