using ModelSwap.Hub.HuggingFace;

namespace ModelSwap.Dashboard.Components.Manager;

/// <summary>Hub failures in plain words, with what to do about them.</summary>
internal static class HubErrorText
{
    public static string For(Exception exception, HubOptions options) => exception switch
    {
        HubException { StatusCode: 401 or 403 } hub => $"{hub.Message} (a gated or private repo needs HF_TOKEN set for the service)",
        HubException hub => hub.Message,
        HttpRequestException http => $"The Hugging Face hub at {options.Endpoint} cannot be reached ({http.Message}). " +
            "Check the network, or set HF_ENDPOINT to a mirror.",
        IOException io when io.Message.Contains("space", StringComparison.OrdinalIgnoreCase) => $"No space left: {io.Message}",
        _ => exception.Message,
    };
}
