using System.Text;
using LLama.Native;
using Microsoft.AspNetCore.Http;
using ModelSwap.Engine.Hosting;
using ModelSwap.Engine.Inference;

namespace ModelSwap.Engine.Api;

/// <summary>Runs one generation for a chat or text completion request and writes it whole or as a stream.</summary>
internal static class GenerationResponder
{
    public static async Task RespondAsync(HttpContext context, EngineState state, ReadyModel ready, bool chat, LLamaToken[] prompt, GenerationOptions options)
    {
        var limit = ready.Model.ContextPerRequest;
        if (prompt.Length == 0)
            throw ApiException.BadRequest("The prompt is empty.", chat ? "messages" : "prompt");
        if (prompt.Length >= limit)
        {
            throw ApiException.BadRequest(
                $"This model's maximum context length is {limit} tokens, but the prompt has {prompt.Length} tokens; it must be shorter to leave room for the reply.",
                chat ? "messages" : "prompt",
                "context_length_exceeded");
        }

        var format = new CompletionFormat(chat, ResponseIds.New(chat ? "chatcmpl-" : "cmpl-"), state.Time.GetUtcNow().ToUnixTimeSeconds(), ready.Model.ModelId);
        var job = ready.Loop.Submit(new GenerationRequest(format.Id, prompt, options.MaxTokens, options.Sampling, options.Stop), context.RequestAborted);
        if (options.Stream)
            await StreamAsync(context, format, job, options).ConfigureAwait(false);
        else
            await WriteWholeAsync(context, format, job).ConfigureAwait(false);
    }

    private static async Task WriteWholeAsync(HttpContext context, CompletionFormat format, GenerationJob job)
    {
        var text = new StringBuilder();
        await foreach (var piece in job.Text.ReadAllAsync(context.RequestAborted).ConfigureAwait(false))
            text.Append(piece);
        var result = await job.Result.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        var body = format.Whole(text.ToString(), result);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task StreamAsync(HttpContext context, CompletionFormat format, GenerationJob job, GenerationOptions options)
    {
        await ServerSentEvents.StartAsync(context).ConfigureAwait(false);
        var first = true;
        await foreach (var piece in job.Text.ReadAllAsync(context.RequestAborted).ConfigureAwait(false))
        {
            await ServerSentEvents.WriteAsync(context, format.Chunk(piece, first)).ConfigureAwait(false);
            first = false;
        }

        GenerationResult result;
        try
        {
            result = await job.Result.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (EngineUnavailableException ex)
        {
            // Headers are gone already; the error travels as an event, as llama-server does.
            var error = new ApiException(StatusCodes.Status503ServiceUnavailable, "server_error", ex.Message);
            await ServerSentEvents.WriteAsync(context, JsonResponses.Serialize(w => ErrorResponses.WriteEnvelope(w, error))).ConfigureAwait(false);
            return;
        }

        await ServerSentEvents.WriteAsync(context, format.Chunk("", first, result)).ConfigureAwait(false);
        if (options.IncludeUsage)
            await ServerSentEvents.WriteAsync(context, format.UsageChunk(result)).ConfigureAwait(false);
        await ServerSentEvents.WriteDoneAsync(context).ConfigureAwait(false);
    }
}
