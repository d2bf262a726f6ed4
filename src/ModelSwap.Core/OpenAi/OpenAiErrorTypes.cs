namespace ModelSwap.Core.OpenAi;

/// <summary>The error "type" values OpenAI clients know.</summary>
public static class OpenAiErrorTypes
{
    public const string InvalidRequest = "invalid_request_error";
    public const string Authentication = "authentication_error";
    public const string Permission = "permission_error";
    public const string RateLimit = "rate_limit_exceeded";
    public const string Server = "server_error";
    public const string Unavailable = "service_unavailable";
}
