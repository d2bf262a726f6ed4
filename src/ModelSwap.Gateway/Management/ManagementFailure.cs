namespace ModelSwap.Gateway.Management;

/// <summary>What kind of failure a <see cref="ManagementException"/> is; the exception handler picks the HTTP status by it.</summary>
public enum ManagementFailure
{
    /// <summary>400: the request names something malformed.</summary>
    InvalidRequest,
    /// <summary>404: no such model (or download).</summary>
    NotFound,
    /// <summary>409: the action conflicts with the state (e.g. regenerating a user's config file).</summary>
    Conflict,
    /// <summary>500: the action failed on the server (a file that cannot be deleted).</summary>
    Failed,
    /// <summary>403: Hugging Face refused access (a gated or private repo; the message says how to set HF_TOKEN).</summary>
    Forbidden,
    /// <summary>429: Hugging Face is rate limiting this service.</summary>
    RateLimited,
    /// <summary>502: Hugging Face failed or could not be reached (the message names HF_ENDPOINT).</summary>
    Upstream,
    /// <summary>507: no space left for a download.</summary>
    InsufficientStorage,
}
