namespace ModelSwap.Hub.HuggingFace;

/// <summary>
/// The Hub answered something we cannot use (repo not found, bad JSON, unexpected status). The message
/// is meant for users as is; it never contains the token.
/// </summary>
public class HubException : Exception
{
    public HubException(string message, int? statusCode = null, Exception? inner = null)
        : base(message, inner)
    {
        StatusCode = statusCode;
    }

    /// <summary>
    /// HTTP status of the answer that caused this, if there was one; for a pull that names nothing the
    /// repo has, the status the failure amounts to (404 no such file or quantization, 400 an ambiguous one).
    /// </summary>
    public int? StatusCode { get; }
}
