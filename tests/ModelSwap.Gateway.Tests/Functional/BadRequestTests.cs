using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace ModelSwap.Gateway.Tests.Functional;

/// <summary>Malformed requests get a 4xx OpenAI envelope and never start a model, crash or hang the gateway.</summary>
public sealed class BadRequestTests
{
    public static TheoryData<string, string, string> Bodies => new()
    {
        { "application/json", "", "model_not_specified" },
        { "application/json", "null", "invalid_request" },
        { "application/json", "[1,2,3]", "invalid_request" },
        { "application/json", "\"model-a\"", "invalid_request" },
        { "application/json", "{\"model\": 42}", "invalid_request" },
        { "application/json", "{\"model\": null}", "invalid_request" },
        { "application/json", "{\"model\": \"\"}", "model_not_specified" },
        { "application/json", "{\"model\": \"model-a\"", "invalid_request" },
        { "application/json", "{\"model\": \"model-a\"} trailing", "invalid_request" },
        { "application/json", "{\"model\": \"model-a\", \"messages\": [" + new string('[', 200) + "]}", "invalid_request" },
        { "application/json", "\u00ff\u00fe garbage", "invalid_request" },
        // A name longer than the scan's chunk is refused rather than held to be looked up.
        { "application/json", "{\"model\": \"" + new string('x', 100_000) + "\"}", "invalid_request" },
        { "application/json", "{\"model\": \"../../etc/passwd\"}", "model_not_found" },
        { "text/plain", "model-a", "model_not_specified" },
        { "multipart/form-data; boundary=xyz", "--xyz\r\nbroken", "invalid_request" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Malformed_bodies_get_an_envelope_and_start_nothing(string contentType, string body, string code)
    {
        await using var host = await GatewayTestHost.StartAsync($"""
            models:
              model-a:
                cmd: {GatewayTestHost.FakeCmd("a")}
            """);
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await host.Client.PostAsync("/v1/chat/completions", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode is >= 400 and < 500, $"{(int)response.StatusCode}: {text}");
        var error = JsonNode.Parse(text)!["error"]!;
        Assert.Equal(code, error["code"]!.GetValue<string>());
        Assert.Empty(await host.RunningAsync());
        using var health = await host.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task A_thousand_random_bodies_never_get_a_5xx_and_the_gateway_still_serves()
    {
        await using var host = await GatewayTestHost.StartAsync($"""
            models:
              model-a:
                cmd: {GatewayTestHost.FakeCmd("a")}
            """);
        var random = new Random(1234);
        var seed = Encoding.UTF8.GetBytes("""{"model":"nope","messages":[{"role":"user","content":"hi"}],"stream":true}""");
        for (var i = 0; i < 1000; i++)
        {
            var bytes = (byte[])seed.Clone();
            for (var flips = random.Next(1, 6); flips > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }
            using var content = new ByteArrayContent(bytes[..random.Next(bytes.Length + 1)]);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await host.Client.PostAsync("/v1/chat/completions", content);
            Assert.True((int)response.StatusCode is >= 400 and < 500, $"body {Convert.ToBase64String(bytes)} got {(int)response.StatusCode}");
        }
        Assert.Equal("a", (await host.ChatAsync("model-a"))["fake"]!["upstream"]!.GetValue<string>());
    }
}
