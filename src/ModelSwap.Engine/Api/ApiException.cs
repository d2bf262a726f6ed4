using Microsoft.AspNetCore.Http;

namespace ModelSwap.Engine.Api;

/// <summary>A request the engine refuses, carried to the OpenAI error envelope.</summary>
internal sealed class ApiException(int status, string type, string message, string? param = null, string? code = null)
    : Exception(message)
{
    public int Status { get; } = status;
    public string Type { get; } = type;
    public string? Param { get; } = param;
    public string? Code { get; } = code;

    public static ApiException BadRequest(string message, string? param = null, string? code = null) =>
        new(StatusCodes.Status400BadRequest, "invalid_request_error", message, param, code);
}
