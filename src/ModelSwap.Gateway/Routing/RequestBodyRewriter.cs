using ModelSwap.Core.Configuration;

namespace ModelSwap.Gateway.Routing;

/// <summary>
/// Applies a model's useModelName and filters (stripParams, setParams) to a JSON request body, streamed:
/// the body is read as it comes and the rewritten one spooled like the request was (memory, then a
/// temporary file), so a body of any size costs one chunk of memory. Only models that ask for a
/// rewrite pay for it; the rest are forwarded as sent.
/// </summary>
internal static class RequestBodyRewriter
{
    public static bool Rewrites(ModelConfig model) => model.UseModelName is not null || !model.Filters.IsEmpty;

    /// <summary>The rewritten body, from its start (the caller disposes it); 400 (<see cref="BadRequestException"/>) for invalid JSON.</summary>
    public static async Task<Stream> RewriteAsync(Stream body, ModelConfig model, CancellationToken cancellationToken)
    {
        var spool = new BodySpool(RequestModelReader.MemoryThreshold);
        try
        {
            var rewriter = new TopLevelJsonRewriter(model);
            await JsonStreamPump.RunAsync(body, rewriter, async token =>
            {
                await spool.WriteAsync(rewriter.Pending, token).ConfigureAwait(false);
                rewriter.ResetPending();
            }, cancellationToken).ConfigureAwait(false);
            if (!rewriter.Completed)
            {
                throw new BadRequestException("request body must be a JSON object");
            }
            return spool.Rewind();
        }
        catch
        {
            await spool.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Rewrites a small body already in memory (Ollama translations, the loading feed's relay).</summary>
    public static byte[] Rewrite(byte[] body, ModelConfig model)
    {
        if (!Rewrites(model))
        {
            return body;
        }
        var rewriter = new TopLevelJsonRewriter(model);
        new JsonTokenWalker(rewriter).Feed(body, isFinalBlock: true);
        return rewriter.Pending.ToArray();
    }
}
