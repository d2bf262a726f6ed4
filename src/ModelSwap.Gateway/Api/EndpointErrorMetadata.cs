using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using ModelSwap.Core.OpenAi;

namespace ModelSwap.Gateway.Api;

/// <summary>Documents, in the OpenAPI document, the error statuses an endpoint answers with the OpenAI envelope.</summary>
internal static class EndpointErrorMetadata
{
    public static RouteHandlerBuilder WithErrors(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (var status in statuses)
        {
            builder.Produces<OpenAiErrorEnvelope>(status);
        }
        return builder;
    }
}
