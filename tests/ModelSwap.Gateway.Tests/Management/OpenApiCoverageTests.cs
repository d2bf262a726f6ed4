using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ModelSwap.Gateway.Api.Ollama;
using ModelSwap.Gateway.Tests.Functional;

namespace ModelSwap.Gateway.Tests.Management;

/// <summary>
/// Every <c>/api</c> route the running app maps is in <c>/openapi/v1.json</c> with a response schema,
/// read from the app's own endpoint table rather than a list kept by hand, so a new route cannot be
/// left out. Ollama's <c>/api/*</c> routes speak Ollama's protocol and are not ModelSwap's API; the
/// catch-all twins of documented routes (ids with raw slashes) are excluded from the document on purpose.
/// </summary>
public sealed partial class OpenApiCoverageTests
{
    [Fact]
    public async Task Every_mapped_api_route_is_documented_with_a_response_schema()
    {
        await using var host = await GatewayTestHost.StartAsync($"""
            models:
              m:
                cmd: {GatewayTestHost.FakeCmd("m")}
            """);
        var document = (await host.Client.GetFromJsonAsync<JsonObject>("/openapi/v1.json"))!;
        var paths = document["paths"]!.AsObject();

        var routes = host.App.Services.GetServices<EndpointDataSource>()
            .SelectMany(s => s.Endpoints)
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText is { } raw && (raw == "/api" || raw.StartsWith("/api/", StringComparison.Ordinal)))
            .Where(e => e.Metadata.GetMetadata<OllamaEndpointMetadata>() is null)
            .Where(e => e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true })
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(method => (Method: method.ToLowerInvariant(), Path: Parameter().Replace(e.RoutePattern.RawText!, "{${name}}").TrimEnd('/'))))
            .Distinct()
            .ToList();

        var all = string.Join(", ", routes.Select(r => $"{r.Method} {r.Path}"));
        // The hand-kept list in ManagementApiTests names these; the table must hold at least them.
        Assert.True(routes.Contains(("get", "/api/models/{id}")) && routes.Contains(("get", "/api/events"))
            && routes.Contains(("get", "/api/activity")) && routes.Contains(("post", "/api/requests/{id}/cancel")), all);
        var missing = routes.Where(r => paths[r.Path]?[r.Method] is null).Select(r => $"{r.Method} {r.Path}").ToList();
        Assert.True(missing.Count == 0, "missing from /openapi/v1.json: " + string.Join(", ", missing) + "; mapped: " + all);
        foreach (var (method, path) in routes)
        {
            var responses = paths[path]![method]!["responses"]!.AsObject();
            var ok = responses.FirstOrDefault(r => r.Key.StartsWith('2') || r.Key.StartsWith('3')).Value;
            Assert.True(ok is not null, $"{method} {path} documents no success response");
        }
    }

    /// <summary>Route parameters as OpenAPI writes them: <c>{id:long}</c> and <c>{**path}</c> become <c>{id}</c>, <c>{path}</c>.</summary>
    [GeneratedRegex(@"\{\**(?<name>[A-Za-z_][A-Za-z0-9_]*)(?::[^}]*)?\??\}")]
    private static partial Regex Parameter();
}
