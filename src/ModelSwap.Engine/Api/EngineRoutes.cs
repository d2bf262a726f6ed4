using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelSwap.Engine.Hosting;
using ModelSwap.Engine.Inference;

namespace ModelSwap.Engine.Api;

/// <summary>
/// The engine's few routes, dispatched from one table (fast start, no routing system) with OpenAI error
/// envelopes for every failure, including unknown paths and wrong methods. Each path also answers
/// without its /v1 prefix, as llama-server's do.
/// </summary>
internal static class EngineRoutes
{
    private delegate Task ReadyHandler(HttpContext context, EngineState state, ReadyModel ready);

    private sealed record Route(string Method, Func<HttpContext, EngineState, Task> Handler);

    private static readonly Dictionary<string, Route> Routes = Build();

    private static Dictionary<string, Route> Build()
    {
        var routes = new Dictionary<string, Route>(StringComparer.OrdinalIgnoreCase)
        {
            ["/health"] = new(HttpMethods.Get, ModelEndpoints.HealthAsync),
        };
        void Add(string path, string method, ReadyHandler handler)
        {
            var route = new Route(method, (context, state) => WhenReady(context, state, handler));
            routes["/v1" + path] = route;
            routes[path] = route;
        }
        Add("/models", HttpMethods.Get, ModelEndpoints.ModelsAsync);
        Add("/chat/completions", HttpMethods.Post, GenerationEndpoints.ChatCompletionsAsync);
        Add("/completions", HttpMethods.Post, GenerationEndpoints.CompletionsAsync);
        Add("/embeddings", HttpMethods.Post, EmbeddingEndpoints.EmbeddingsAsync);
        Add("/rerank", HttpMethods.Post, RerankEndpoints.RerankAsync);
        Add("/reranking", HttpMethods.Post, RerankEndpoints.RerankAsync);
        Add("/responses", HttpMethods.Post, ResponsesEndpoints.CreateAsync);
        Add("/messages", HttpMethods.Post, MessagesEndpoints.CreateAsync);
        // llama-server's native fill-in-the-middle route, which has no /v1 form.
        routes["/infill"] = new(HttpMethods.Post, (context, state) => WhenReady(context, state, InfillEndpoints.InfillAsync));
        routes["/v1/health"] = routes["/health"];
        return routes;
    }

    public static async Task DispatchAsync(HttpContext context)
    {
        var state = context.RequestServices.GetRequiredService<EngineState>();
        try
        {
            var path = context.Request.Path.Value is { Length: > 1 } value ? value.TrimEnd('/') : "/";
            if (!Routes.TryGetValue(path, out var route))
                throw new ApiException(StatusCodes.Status404NotFound, "invalid_request_error", $"No route {context.Request.Method} {path}.", code: "not_found");
            var method = context.Request.Method;
            if (!HttpMethods.Equals(method, route.Method) && !(HttpMethods.IsHead(method) && HttpMethods.IsGet(route.Method)))
            {
                context.Response.Headers.Allow = route.Method;
                throw new ApiException(StatusCodes.Status405MethodNotAllowed, "invalid_request_error", $"{path} takes {route.Method}, not {method}.", code: "method_not_allowed");
            }
            await route.Handler(context, state).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (Exception ex) when (!context.Response.HasStarted)
        {
            await ErrorResponses.WriteAsync(context, ToApiError(ex, context)).ConfigureAwait(false);
        }
    }

    private static Task WhenReady(HttpContext context, EngineState state, ReadyHandler handler)
    {
        var ready = state.Ready;
        if (ready is not null)
            return handler(context, state, ready);
        if (state.Status == EngineStatus.Failed)
            throw new ApiException(StatusCodes.Status500InternalServerError, "server_error", $"Model failed to load: {state.FailureReason}");
        if (state.Status == EngineStatus.Stopped)
            throw new ApiException(StatusCodes.Status503ServiceUnavailable, "unavailable_error", "The engine is stopping.");
        return ErrorResponses.WriteLoadingAsync(context);
    }

    private static ApiException ToApiError(Exception ex, HttpContext context)
    {
        switch (ex)
        {
            case ApiException api:
                return api;
            case BadHttpRequestException bad:
                return new ApiException(bad.StatusCode, "invalid_request_error", bad.Message);
            case EngineUnavailableException unavailable:
                return new ApiException(StatusCodes.Status503ServiceUnavailable, "unavailable_error", unavailable.Message);
            default:
                var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("ModelSwap.Engine");
                EngineLog.RequestFailed(logger, ex);
                return new ApiException(StatusCodes.Status500InternalServerError, "server_error", $"The engine failed: {ex.Message}");
        }
    }
}
