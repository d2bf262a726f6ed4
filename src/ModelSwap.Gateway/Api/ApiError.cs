namespace ModelSwap.Gateway.Api;

/// <summary>How one failure is answered: HTTP status and the OpenAI envelope's fields.</summary>
internal sealed record ApiError(int Status, string Type, string Code, string Message, TimeSpan? RetryAfter = null);
