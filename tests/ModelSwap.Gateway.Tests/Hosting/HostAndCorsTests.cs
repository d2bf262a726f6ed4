using System.Net;
using ModelSwap.Gateway.Tests.Functional;

namespace ModelSwap.Gateway.Tests.Hosting;

/// <summary>DNS-rebinding Host check on loopback binds, CORS for browser apps, HEAD and 405 with Allow.</summary>
public sealed class HostAndCorsTests
{
    private static Task<GatewayTestHost> StartAsync(string extra = "") => GatewayTestHost.StartAsync(extra + $"""
        models:
          model-a:
            cmd: {GatewayTestHost.FakeCmd("a")}
        """);

    private static async Task<HttpResponseMessage> SendAsync(GatewayTestHost host, HttpMethod method, string path, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, path);
        foreach (var (name, value) in headers)
        {
            if (name == "Host")
            {
                request.Headers.Host = value;
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }
        return await host.Client.SendAsync(request);
    }

    [Theory]
    [InlineData("evil.example", HttpStatusCode.Forbidden)]
    [InlineData("evil.example:8091", HttpStatusCode.Forbidden)]
    [InlineData("127.0.0.1.nip.io", HttpStatusCode.Forbidden)]
    [InlineData("localhost", HttpStatusCode.OK)]
    [InlineData("localhost:8091", HttpStatusCode.OK)]
    [InlineData("127.0.0.1:1234", HttpStatusCode.OK)]
    [InlineData("[::1]:8091", HttpStatusCode.OK)]
    [InlineData("models.lan", HttpStatusCode.OK)]
    public async Task On_loopback_only_loopback_names_and_allowedHosts_are_served(string hostHeader, HttpStatusCode expected)
    {
        await using var host = await StartAsync("allowedHosts: [models.lan]\n");
        using var response = await SendAsync(host, HttpMethod.Get, "/v1/models", ("Host", hostHeader));
        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Forbidden)
        {
            Assert.Contains("host_not_allowed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("http://localhost:3000", true)]
    [InlineData("http://127.0.0.1:5173", true)]
    [InlineData("http://[::1]:8080", true)]
    [InlineData("tauri://localhost", true)]
    [InlineData("app://my-app", true)]
    [InlineData("vscode-webview://abc123", true)]
    [InlineData("https://chat.example.com", true)]
    [InlineData("https://evil.example", false)]
    [InlineData("http://localhost.evil.example", false)]
    [InlineData("null", false)]
    public async Task Preflights_and_simple_requests_allow_only_allowed_origins(string origin, bool allowed)
    {
        await using var host = await StartAsync("corsOrigins: [\"https://*.example.com\"]\n");
        using var preflight = await SendAsync(host, HttpMethod.Options, "/v1/chat/completions",
            ("Origin", origin), ("Access-Control-Request-Method", "POST"), ("Access-Control-Request-Headers", "authorization,content-type"));
        Assert.True(preflight.IsSuccessStatusCode, $"preflight answered {(int)preflight.StatusCode}");
        using var simple = await SendAsync(host, HttpMethod.Get, "/v1/models", ("Origin", origin));
        Assert.Equal(HttpStatusCode.OK, simple.StatusCode);
        foreach (var response in new[] { preflight, simple })
        {
            if (allowed)
            {
                Assert.Equal(origin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
                Assert.Equal("true", response.Headers.GetValues("Access-Control-Allow-Credentials").Single());
            }
            else
            {
                Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
            }
        }
        if (allowed)
        {
            Assert.Contains("POST", string.Join(',', preflight.Headers.GetValues("Access-Control-Allow-Methods")), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Get_routes_answer_head_and_a_405_says_what_is_allowed()
    {
        await using var host = await StartAsync();
        using var head = await SendAsync(host, HttpMethod.Head, "/health");
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        using var headModels = await SendAsync(host, HttpMethod.Head, "/v1/models");
        Assert.Equal(HttpStatusCode.OK, headModels.StatusCode);
        Assert.Empty(await headModels.Content.ReadAsByteArrayAsync());

        using var wrongMethod = await SendAsync(host, HttpMethod.Delete, "/health");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Contains("GET", wrongMethod.Content.Headers.Allow);
        using var getOnPost = await SendAsync(host, HttpMethod.Get, "/v1/chat/completions");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, getOnPost.StatusCode);
        Assert.Contains("POST", getOnPost.Content.Headers.Allow);
    }
}
