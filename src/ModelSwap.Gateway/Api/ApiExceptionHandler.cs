using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace ModelSwap.Gateway.Api;

/// <summary>
/// The app's exception handler: every failure an endpoint lets escape is answered in the OpenAI
/// envelope with the status <see cref="ErrorMapping"/> gives it; bugs (500) are logged.
/// </summary>
internal sealed partial class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            return true; // the client left; nobody to answer
        }
        var error = ErrorMapping.Map(exception);
        if (error.Status >= 500)
        {
            LogFailed(httpContext.Request.Method, httpContext.Request.Path, error.Status, exception);
        }
        if (httpContext.GetEndpoint()?.Metadata.GetMetadata<Ollama.OllamaEndpointMetadata>() is not null)
        {
            await Ollama.OllamaErrors.WriteAsync(httpContext, error.Status, error.Message, error.RetryAfter).ConfigureAwait(false);
            return true;
        }
        await ErrorMapping.WriteAsync(httpContext, exception).ConfigureAwait(false);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed with {Status}")]
    private partial void LogFailed(string method, string path, int status, Exception exception);
}
