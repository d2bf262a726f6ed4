using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ModelSwap.Gateway.Hosting;
using ModelSwap.Gateway.Tests.Functional;

namespace ModelSwap.Gateway.Tests.Hosting;

/// <summary>Keys on every route but the open list: walked over every endpoint the app maps.</summary>
public sealed class RouteAuthTests
{
    private const string Key = "sk-route-test";

    private static Task<GatewayTestHost> StartAsync(string keys = $"apiKeys: [\"{Key}\"]\n", Action<IServiceCollection>? services = null) =>
        GatewayTestHost.StartAsync(keys + $"""
            models:
              model-a:
                cmd: {GatewayTestHost.FakeCmd("a")}
            """, configureServices: services);

    /// <summary>Every (method, concrete path) the app maps, parameters filled with sample values.</summary>
    private static List<(string Method, string Path, string Pattern)> MappedRoutes(WebApplication app)
    {
        var routes = new List<(string, string, string)>();
        foreach (var source in ((IEndpointRouteBuilder)app).DataSources)
        {
            foreach (var endpoint in source.Endpoints.OfType<RouteEndpoint>())
            {
                var pattern = endpoint.RoutePattern.RawText!;
                var path = "/" + string.Join('/', endpoint.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
                {
                    Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                    Microsoft.AspNetCore.Routing.Patterns.RoutePatternSeparatorPart separator => separator.Content,
                    _ => "probe",
                }))));
                var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST", "PUT", "DELETE", "PATCH"];
                routes.AddRange(methods.Select(m => (m, path, pattern)));
            }
        }
        return routes;
    }

    [Fact]
    public async Task Every_mapped_route_but_the_open_list_refuses_a_missing_or_wrong_key()
    {
        await using var host = await StartAsync();
        var routes = MappedRoutes(host.App);
        // Sanity: the walk sees the routes of every area, so new ones are covered the same way.
        Assert.Contains(routes, r => r.Pattern == "/v1/chat/completions");
        Assert.Contains(routes, r => r.Pattern == "/running");
        Assert.Contains(routes, r => r.Pattern.StartsWith("/api/", StringComparison.Ordinal));
        var failures = new List<string>();
        foreach (var (method, path, pattern) in routes.Where(r => !OpenRoutes.List.Contains($"{r.Method} {r.Pattern}")))
        {
            foreach (var key in new string?[] { null, "sk-wrong" })
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = method is "GET" or "HEAD" ? null : new StringContent("{}", Encoding.UTF8, "application/json") };
                if (key is not null)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                }
                using var response = await host.Client.SendAsync(request);
                if (response.StatusCode != HttpStatusCode.Unauthorized)
                {
                    failures.Add($"{method} {path} ({pattern}) answered {(int)response.StatusCode} with {(key is null ? "no key" : "a wrong key")}; it is not in OpenRoutes.List");
                    continue;
                }
                Assert.Equal(ApiKeyMiddleware.Challenge, response.Headers.WwwAuthenticate.ToString());
                if (method == "HEAD")
                {
                    continue; // a HEAD answer has no body to read the envelope from
                }
                var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
                Assert.Equal("invalid_api_key", error["code"]!.GetValue<string>());
            }
        }
        using var health = await host.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.True(failures.Count == 0, string.Join('\n', failures));
        // Nothing the walk sent without a key reached a model.
        Assert.Empty(await host.RunningAsync(Key));
    }

    [Theory]
    [InlineData("bearer")]
    [InlineData("x-api-key")]
    [InlineData("basic")]
    public async Task Each_key_form_is_accepted(string form)
    {
        await using var host = await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/running");
        switch (form)
        {
            case "bearer": request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Key); break;
            case "x-api-key": request.Headers.Add("x-api-key", Key); break;
            case "basic": request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("anyone:" + Key))); break;
        }
        using var response = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Keys_from_the_environment_apply_without_apiKeys_in_the_config()
    {
        await using var host = await StartAsync("", services => services.AddSingleton(new SecuritySettings { ApiKeys = ["sk-env"] }));
        using var anonymous = await host.Client.GetAsync("/v1/models");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        request.Headers.Add("x-api-key", "sk-env");
        using var authorized = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, authorized.StatusCode);
    }

    [Fact]
    public async Task Without_keys_everything_is_open()
    {
        await using var host = await StartAsync("");
        using var response = await host.Client.GetAsync("/running");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_browser_without_a_key_is_sent_to_the_login_form()
    {
        await using var host = await StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/ui/models");
        request.Headers.Accept.ParseAdd("text/html");
        using var noRedirects = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = host.Client.BaseAddress };
        using var response = await noRedirects.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login?next=%2Fui%2Fmodels", response.Headers.Location!.OriginalString);
        using var login = await host.Client.GetAsync("/login");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("/api/session", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
