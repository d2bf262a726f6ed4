using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ModelSwap.Gateway.Hosting;

namespace ModelSwap.Gateway.Api;

/// <summary>
/// The app's exception handler: every failure an endpoint lets escape is answered in the OpenAI
/// envelope with the status <see cref="ErrorMapping"/> gives it; bugs (500) are logged. A failure may
/// quote a server's last output or a config value, so the answer and the log go through the same
/// redaction as /logs and start errors (<see cref="GatewaySecurity.Redactor"/>).
/// </summary>
internal sealed partial class ApiExceptionHandler(GatewaySecurity security, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            return true; // the client left; nobody to answer
        }
        var redactor = security.Redactor;
        var error = ErrorMapping.Map(exception);
        if (error.Status >= 500)
        {
            LogFailed(httpContext.Request.Method, httpContext.Request.Path, error.Status, redactor.Redact(exception.ToString()));
        }
        if (httpContext.GetEndpoint()?.Metadata.GetMetadata<Ollama.OllamaEndpointMetadata>() is not null)
        {
            await Ollama.OllamaErrors.WriteAsync(httpContext, error.Status, redactor.Redact(error.Message), error.RetryAfter).ConfigureAwait(false);
            return true;
        }
        await ErrorMapping.WriteAsync(httpContext, exception, redactor).ConfigureAwait(false);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed with {Status}: {Failure}")]
    private partial void LogFailed(string method, string path, int status, string failure);
}
