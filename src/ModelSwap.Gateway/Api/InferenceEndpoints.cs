using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using ModelSwap.Gateway.Routing;

namespace ModelSwap.Gateway.Api;

/// <summary>The OpenAI- and llama.cpp-style inference routes, all forwarded to the named model.</summary>
internal static class InferenceEndpoints
{
    /// <summary>Every POST route whose body names a model. Kept as data so docs and tests read one list.</summary>
    public static readonly IReadOnlyList<string> ModelRoutes =
    [
        "/v1/chat/completions", "/v1/completions", "/v1/embeddings",
        "/v1/rerank", "/v1/reranking", "/rerank",
        "/v1/audio/speech", "/v1/audio/transcriptions", "/v1/images/generations",
        "/v1/responses", "/v1/messages", "/infill", "/completion",
    ];

    public static IEndpointRouteBuilder MapInferenceEndpoints(this IEndpointRouteBuilder routes)
    {
        foreach (var route in ModelRoutes)
        {
            routes.MapPost(route, (HttpContext context, ModelForwarder forwarder) => forwarder.ForwardInferenceAsync(context))
                .WithMetadata(new InferenceEndpointMetadata());
        }
        routes.Map("/upstream/{**rest}", (HttpContext context, string? rest, ModelForwarder forwarder) =>
                forwarder.ForwardUpstreamAsync(context, rest ?? ""))
            .WithMetadata(new InferenceEndpointMetadata());
        return routes;
    }
}
