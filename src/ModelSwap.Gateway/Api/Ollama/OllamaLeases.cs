using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ModelSwap.Gateway.Hosting;
using ModelSwap.Gateway.Processes;
using ModelSwap.Gateway.Swapping;

namespace ModelSwap.Gateway.Api.Ollama;

/// <summary>A lease on a model for an Ollama route; every way it can fail answered in Ollama's error shape.</summary>
internal static class OllamaLeases
{
    /// <summary>The lease, or null when the failure has been answered (or the client left).</summary>
    /// <param name="cancellationToken">The request's own token when it is tracked (it can be cancelled); else the client's.</param>
    public static async Task<ModelLease?> AcquireAsync(HttpContext context, ModelCoordinator coordinator, string modelId,
        CancellationToken? cancellationToken = null)
    {
        var token = cancellationToken ?? context.RequestAborted;
        try
        {
            return await coordinator.AcquireAsync(modelId, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return null;
        }
        catch (UnknownModelException)
        {
            await OllamaErrors.WriteAsync(context, 404, OllamaErrors.ModelNotFound(modelId)).ConfigureAwait(false);
        }
        catch (ConcurrencyLimitExceededException ex)
        {
            await OllamaErrors.WriteAsync(context, 429, ex.Message, ex.RetryAfter).ConfigureAwait(false);
        }
        catch (ModelStartException ex)
        {
            // A server's last words may quote its secrets (a key on its command line): redacted as /logs is.
            var error = ErrorMapping.Map(ex);
            var redactor = context.RequestServices.GetRequiredService<GatewaySecurity>().Redactor;
            await OllamaErrors.WriteAsync(context, error.Status, redactor.Redact(error.Message)).ConfigureAwait(false);
        }
        catch (CoordinatorStoppedException ex)
        {
            await OllamaErrors.WriteAsync(context, 503, ex.Message).ConfigureAwait(false);
        }
        return null;
    }
}
