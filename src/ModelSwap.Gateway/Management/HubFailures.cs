using ModelSwap.Hub.Downloads;
using ModelSwap.Hub.HuggingFace;

namespace ModelSwap.Gateway.Management;

/// <summary>
/// Hub and download failures in plain words, with what to do about them: the one place that knows,
/// so the API, the dashboard and Ollama's pull say the same thing (a gated repo names HF_TOKEN, an
/// unreachable hub names HF_ENDPOINT).
/// </summary>
internal static class HubFailures
{
    private const string TokenHint = " (a gated or private repo needs HF_TOKEN set for the service)";

    /// <summary>The management failure for <paramref name="exception"/>, or null when it is not a Hub or download failure.</summary>
    public static ManagementException? Translate(Exception exception, Uri? endpoint, CancellationToken cancellationToken) => exception switch
    {
        ManagementException => null,
        HubAccessException e => new(ManagementFailure.Forbidden, "hub_access_denied", e.Message, e),
        HubException e => FromHub(e),
        DownloadException e => FromDownload(e),
        HttpRequestException e => new(ManagementFailure.Upstream, "hub_unreachable",
            $"The Hugging Face hub{At(endpoint)} cannot be reached ({e.Message}). Check the network, or set HF_ENDPOINT to a mirror.", e),
        // The Hub client's own timeout, not the caller leaving.
        OperationCanceledException e when !cancellationToken.IsCancellationRequested => new(ManagementFailure.Upstream, "hub_timeout",
            $"The Hugging Face hub{At(endpoint)} did not answer in time. Check the network, or set HF_ENDPOINT to a mirror.", e),
        IOException e when e.Message.Contains("space", StringComparison.OrdinalIgnoreCase) =>
            new(ManagementFailure.InsufficientStorage, "insufficient_space", $"No space left: {e.Message}", e),
        // Names the client sent (repo, revision, file paths) that the Hub layer refused.
        ArgumentException e => new(ManagementFailure.InvalidRequest, "invalid_request", e.Message, e),
        _ => null,
    };

    private static ManagementException FromHub(HubException e) => e.StatusCode switch
    {
        400 => new(ManagementFailure.InvalidRequest, "ambiguous_model_reference", e.Message, e),
        404 => new(ManagementFailure.NotFound, "hub_not_found", e.Message, e),
        // The Hub answers 401 for a repo that does not exist (or is private) when no token was sent.
        401 or 403 => new(ManagementFailure.NotFound, "hub_not_found", WithTokenHint(e.Message), e),
        429 => new(ManagementFailure.RateLimited, "hub_rate_limited", e.Message, e),
        _ => new(ManagementFailure.Upstream, "hub_error", e.Message, e),
    };

    private static ManagementException FromDownload(DownloadException e) => e.Kind switch
    {
        DownloadFailure.Conflict => new(ManagementFailure.Conflict, "download_conflict", e.Message, e),
        DownloadFailure.NotFound => new(ManagementFailure.NotFound, "download_not_found", e.Message, e),
        DownloadFailure.AccessDenied => new(ManagementFailure.Forbidden, "hub_access_denied", WithTokenHint(e.Message), e),
        DownloadFailure.InsufficientSpace => new(ManagementFailure.InsufficientStorage, "insufficient_space", e.Message, e),
        _ => new(ManagementFailure.Upstream, "download_failed", e.Message, e),
    };

    private static string At(Uri? endpoint) => endpoint is null ? "" : $" at {endpoint}";

    /// <summary>The hint about HF_TOKEN, unless the message already gives it.</summary>
    public static string WithTokenHint(string message) =>
        message.Contains("HF_TOKEN", StringComparison.Ordinal) ? message : message + TokenHint;
}
