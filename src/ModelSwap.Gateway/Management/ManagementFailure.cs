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
}
