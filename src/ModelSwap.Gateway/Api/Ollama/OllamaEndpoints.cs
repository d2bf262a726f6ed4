using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ModelSwap.Gateway.Api.Ollama;

/// <summary>
/// Ollama's API on the gateway's port, answered from the same configuration, inventory and
/// coordinator as every other route. Errors use Ollama's shape, <c>{"error":"text"}</c>.
/// </summary>
internal static class OllamaEndpoints
{
    /// <summary>
    /// The Ollama API level answered here. Clients gate features on it (VS Code Copilot needs at least
    /// 0.6.4; <c>think</c> came in 0.9), so it names the Ollama release whose API this follows.
    /// </summary>
    public const string ApiVersion = "0.9.0";

    public static IEndpointRouteBuilder MapOllamaEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapMethods("/", ["GET", "HEAD"], Root);
        routes.MapGet("/api/version", () => TypedResults.Json(new JsonObject
        {
            ["version"] = ApiVersion,
            ["modelswap"] = ModelSwapVersion,
        }));
        var api = routes.MapGroup("/api").WithMetadata(new InferenceEndpointMetadata(), new OllamaEndpointMetadata());
        api.MapPost("/chat", (HttpContext context, OllamaGeneration generation) => generation.ChatAsync(context));
        api.MapPost("/generate", (HttpContext context, OllamaGeneration generation) => generation.GenerateAsync(context));
        api.MapPost("/embed", (HttpContext context, OllamaEmbedding embedding) => embedding.EmbedAsync(context));
        api.MapPost("/embeddings", (HttpContext context, OllamaEmbedding embedding) => embedding.EmbeddingsAsync(context));
        api.MapGet("/tags", (OllamaModelEndpoints models, CancellationToken ct) => models.TagsAsync(ct));
        api.MapGet("/ps", (OllamaModelEndpoints models, CancellationToken ct) => models.PsAsync(ct));
        api.MapPost("/show", (HttpContext context, OllamaModelEndpoints models) => models.ShowAsync(context));
        api.MapDelete("/delete", (HttpContext context, OllamaModelEndpoints models) => models.DeleteAsync(context));
        api.MapPost("/pull", (HttpContext context, OllamaPull pull) => pull.PullAsync(context));
        api.MapPost("/copy", (HttpContext context, OllamaCopy copy) => copy.CopyAsync(context));
        return routes;
    }

    public static string ModelSwapVersion { get; } =
        typeof(OllamaEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? "0.0.0";

    /// <summary>
    /// Ollama's clients probe <c>GET /</c> for "Ollama is running"; a browser is sent to the dashboard.
    /// </summary>
    private static IResult Root(HttpContext context)
    {
        var accept = context.Request.Headers.Accept.ToString();
        if (HttpMethods.IsGet(context.Request.Method) && accept.Contains("text/html", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Redirect("/ui");
        }
        return TypedResults.Text($"Ollama is running (ModelSwap {ModelSwapVersion}: OpenAI API at /v1, Ollama API at /api, dashboard at /ui)\n",
            "text/plain; charset=utf-8");
    }
}
