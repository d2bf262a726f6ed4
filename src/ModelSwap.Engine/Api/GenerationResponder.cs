using System.Text;
using LLama.Native;
using Microsoft.AspNetCore.Http;
using ModelSwap.Engine.Grammar;
using ModelSwap.Engine.Hosting;
using ModelSwap.Engine.Inference;
using ModelSwap.Engine.Tools;

namespace ModelSwap.Engine.Api;

/// <summary>
/// Runs one generation for a chat or text completion request and writes it whole or as a stream.
/// With tools offered, a stream still carries content as it comes (<see cref="ToolCallStream"/>
/// holds back only what could be a tool call).
/// </summary>
internal static class GenerationResponder
{
    /// <param name="media">A prompt with images: <paramref name="prompt"/> is then its last text (see <see cref="PromptMedia"/>).</param>
    public static async Task RespondAsync(HttpContext context, EngineState state, ReadyModel ready, bool chat, LLamaToken[] prompt, GenerationOptions options, ToolSession? tools = null, PromptMedia? media = null)
    {
        CheckPrompt(ready, media?.PositionCount ?? prompt.Length, chat ? "messages" : "prompt");

        var toolMode = tools is { Active: true };
        var grammar = GrammarFor(options, tools);

        var format = new CompletionFormat(chat, ResponseIds.New(chat ? "chatcmpl-" : "cmpl-"), state.Time.GetUtcNow().ToUnixTimeSeconds(), ready.Model.ModelId);
        var job = ready.Loop.Submit(new GenerationRequest(format.Id, prompt, options.MaxTokens, options.Sampling, options.Stop, grammar, toolMode ? null : options.TopLogprobs, media) { Streamed = options.Stream }, context.RequestAborted);
        if (toolMode)
            await RespondWithToolsAsync(context, format, job, options, tools!).ConfigureAwait(false);
        else if (options.Stream)
            await StreamAsync(context, format, job, options).ConfigureAwait(false);
        else
            await WriteWholeAsync(context, format, job).ConfigureAwait(false);
    }

    /// <summary>
    /// Several choices: `n` per prompt, for each prompt of a prompt array (choice index = prompt × n + j,
    /// as OpenAI numbers them). Each is its own generation (a seed, when given, advances by one per
    /// choice so they differ); streams interleave their chunks by index. A prompt with images shares its
    /// <see cref="PromptMedia"/> among its choices: each job evaluates the images into its own sequence.
    /// `usage.prompt_tokens` counts each prompt once (images included), as OpenAI and llama-server do.
    /// </summary>
    public static async Task RespondManyAsync(HttpContext context, EngineState state, ReadyModel ready, bool chat, IReadOnlyList<(LLamaToken[] Tokens, PromptMedia? Media)> prompts, GenerationOptions options)
    {
        foreach (var (tokens, media) in prompts)
            CheckPrompt(ready, media?.PositionCount ?? tokens.Length, chat ? "messages" : "prompt");
        var format = new CompletionFormat(chat, ResponseIds.New(chat ? "chatcmpl-" : "cmpl-"), state.Time.GetUtcNow().ToUnixTimeSeconds(), ready.Model.ModelId);
        var jobs = new List<GenerationJob>();
        foreach (var (tokens, media) in prompts)
        {
            for (var j = 0; j < options.Choices; j++)
            {
                var sampling = options.Sampling.Seed is { } seed ? options.Sampling with { Seed = unchecked(seed + (uint)j) } : options.Sampling;
                jobs.Add(ready.Loop.Submit(new GenerationRequest($"{format.Id}-{jobs.Count}", tokens, options.MaxTokens, sampling, options.Stop, options.Grammar, options.TopLogprobs, media) { Streamed = options.Stream }, context.RequestAborted));
            }
        }
        var promptTokens = prompts.Sum(p => p.Media?.TokenCount ?? p.Tokens.Length);

        if (!options.Stream)
        {
            var choices = new List<(string, GenerationResult, IReadOnlyList<TokenLogprob>?)>();
            foreach (var job in jobs)
            {
                var text = new StringBuilder();
                await foreach (var piece in job.Text.ReadAllAsync(context.RequestAborted).ConfigureAwait(false))
                    text.Append(piece);
                var result = await job.Result.WaitAsync(context.RequestAborted).ConfigureAwait(false);
                choices.Add((text.ToString(), result, Drain(job)));
            }
            await WriteJsonAsync(context, format.WholeMany(choices, promptTokens)).ConfigureAwait(false);
            return;
        }

        await ServerSentEvents.StartAsync(context).ConfigureAwait(false);
        // A piece's logprobs are drained by the reader of its own job, right after the piece, so each
        // chunk carries the tokens of that piece for that index (as the single-choice stream does).
        var merged = System.Threading.Channels.Channel.CreateUnbounded<(int Index, string? Piece, List<TokenLogprob>? Logprobs, GenerationResult? Result)>();
        var readers = jobs.Select((job, index) => Task.Run(async () =>
        {
            await foreach (var piece in job.Text.ReadAllAsync(context.RequestAborted).ConfigureAwait(false))
                merged.Writer.TryWrite((index, piece, Drain(job), null));
            merged.Writer.TryWrite((index, null, null, await job.Result.ConfigureAwait(false)));
        })).ToList();
        _ = Task.WhenAll(readers).ContinueWith(t => merged.Writer.TryComplete(t.Exception), TaskScheduler.Default);

        var started = new bool[jobs.Count];
        var offsets = new int[jobs.Count];
        var results = new List<GenerationResult>();
        try
        {
            await foreach (var (index, piece, logprobs, result) in merged.Reader.ReadAllAsync(context.RequestAborted).ConfigureAwait(false))
            {
                var first = !started[index];
                started[index] = true;
                if (result is null)
                {
                    await ServerSentEvents.WriteAsync(context, format.Chunk(piece!, first, index: index, logprobs: logprobs, textOffset: offsets[index])).ConfigureAwait(false);
                    offsets[index] += piece!.Length;
                }
                else
                {
                    results.Add(result);
                    await ServerSentEvents.WriteAsync(context, format.Chunk("", first, result, index: index)).ConfigureAwait(false);
                }
            }
        }
        catch (EngineUnavailableException ex)
        {
            await WriteStreamErrorAsync(context, ex).ConfigureAwait(false);
            return;
        }
        if (options.IncludeUsage)
            await ServerSentEvents.WriteAsync(context, format.UsageChunk(CompletionFormat.Sum(results, promptTokens))).ConfigureAwait(false);
        await ServerSentEvents.WriteDoneAsync(context).ConfigureAwait(false);
    }

    /// <summary>A forced tool choice's grammar, else the response format's (or none).</summary>
    public static string? GrammarFor(GenerationOptions options, ToolSession? tools)
    {
        if (tools is not { Active: true, Choice.Forced: true })
            return options.Grammar;
        try
        {
            return ToolGrammar.For(tools);
        }
        catch (SchemaNotSupportedException ex)
        {
            throw ApiException.BadRequest($"'tools': {ex.Message}.", "tools", "unsupported_schema");
        }
    }

    /// <summary>The logprobs recorded since the last call; null when the request did not ask for them.</summary>
    private static List<TokenLogprob>? Drain(GenerationJob job)
    {
        if (job.Request.TopLogprobs is null)
            return null;
        var entries = new List<TokenLogprob>();
        while (job.Logprobs.TryDequeue(out var entry))
            entries.Add(entry);
        return entries;
    }

    /// <summary>Checks the prompt fits, as every generating endpoint must.</summary>
    public static void CheckPrompt(ReadyModel ready, LLamaToken[] prompt, string param) => CheckPrompt(ready, prompt.Length, param);

    /// <param name="length">Cache positions the prompt takes (its tokens, or with images the projector's count).</param>
    public static void CheckPrompt(ReadyModel ready, int length, string param)
    {
        var limit = ready.Model.ContextPerRequest;
        if (length == 0)
            throw ApiException.BadRequest("The prompt is empty.", param);
        if (length >= limit)
        {
            throw ApiException.BadRequest(
                $"This model's maximum context length is {limit} tokens, but the prompt has {length} tokens; it must be shorter to leave room for the reply.",
                param, "context_length_exceeded");
        }
    }

    private static async Task WriteWholeAsync(HttpContext context, CompletionFormat format, GenerationJob job)
    {
        var text = new StringBuilder();
        await foreach (var piece in job.Text.ReadAllAsync(context.RequestAborted).ConfigureAwait(false))
            text.Append(piece);
        var result = await job.Result.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        await WriteJsonAsync(context, format.Whole(text.ToString(), result, logprobs: Drain(job))).ConfigureAwait(false);
    }

    private static async Task RespondWithToolsAsync(HttpContext context, CompletionFormat format, GenerationJob job, GenerationOptions options, ToolSession tools)
    {
        if (options.Stream)
        {
            await StreamWithToolsAsync(context, format, job, options, tools).ConfigureAwait(false);
            return;
        }
        var text = new StringBuilder();
        await foreach (var piece in job.Text.ReadAllAsync(context.RequestAborted).ConfigureAwait(false))
            text.Append(piece);
        var result = await job.Result.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        var (content, calls) = ToolCallParser.Parse(text.ToString(), tools.Format);
        if (!tools.Parallel && calls.Count > 1)
            calls.RemoveRange(1, calls.Count - 1);
        if (calls.Count == 0)
            content = text.ToString();
        await WriteJsonAsync(context, format.Whole(content, result, calls)).ConfigureAwait(false);
    }

    /// <summary>
    /// Content streams as it comes, held back only while it could be a tool call's opening marker;
    /// each tool call goes out as one delta (index, id, name, whole arguments) once it is complete.
    /// </summary>
    private static async Task StreamWithToolsAsync(HttpContext context, CompletionFormat format, GenerationJob job, GenerationOptions options, ToolSession tools)
    {
        await ServerSentEvents.StartAsync(context).ConfigureAwait(false);
        await ServerSentEvents.WriteAsync(context, format.Chunk("", first: true)).ConfigureAwait(false);
        var split = new ToolCallStream(tools.Format, tools.Parallel);
        await foreach (var piece in job.Text.ReadAllAsync(context.RequestAborted).ConfigureAwait(false))
            await WriteEventsAsync(context, format, split, split.Push(piece)).ConfigureAwait(false);
        GenerationResult result;
        try
        {
            result = await job.Result.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (EngineUnavailableException ex)
        {
            await WriteStreamErrorAsync(context, ex).ConfigureAwait(false);
            return;
        }
        await WriteEventsAsync(context, format, split, split.Finish()).ConfigureAwait(false);
        await ServerSentEvents.WriteAsync(context, format.Chunk("", false, result, split.CallCount > 0 ? "tool_calls" : null)).ConfigureAwait(false);
        if (options.IncludeUsage)
            await ServerSentEvents.WriteAsync(context, format.UsageChunk(result)).ConfigureAwait(false);
        await ServerSentEvents.WriteDoneAsync(context).ConfigureAwait(false);
    }

    private static async Task WriteEventsAsync(HttpContext context, CompletionFormat format, ToolCallStream split, List<ToolStreamEvent> events)
    {
        var calls = split.CallCount - events.Count(e => e.Call is not null);
        foreach (var e in events)
        {
            if (e.Call is { } call)
                await ServerSentEvents.WriteAsync(context, format.ToolCallsChunk([call], calls++)).ConfigureAwait(false);
            else
                await ServerSentEvents.WriteAsync(context, format.Chunk(e.Content!)).ConfigureAwait(false);
        }
    }

    private static async Task WriteJsonAsync(HttpContext context, byte[] body)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task StreamAsync(HttpContext context, CompletionFormat format, GenerationJob job, GenerationOptions options)
    {
        await ServerSentEvents.StartAsync(context).ConfigureAwait(false);
        var first = true;
        var offset = 0;
        await foreach (var piece in job.Text.ReadAllAsync(context.RequestAborted).ConfigureAwait(false))
        {
            await ServerSentEvents.WriteAsync(context, format.Chunk(piece, first, logprobs: Drain(job), textOffset: offset)).ConfigureAwait(false);
            offset += piece.Length;
            first = false;
        }

        GenerationResult result;
        try
        {
            result = await job.Result.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (EngineUnavailableException ex)
        {
            await WriteStreamErrorAsync(context, ex).ConfigureAwait(false);
            return;
        }

        await ServerSentEvents.WriteAsync(context, format.Chunk("", first, result)).ConfigureAwait(false);
        if (options.IncludeUsage)
            await ServerSentEvents.WriteAsync(context, format.UsageChunk(result)).ConfigureAwait(false);
        await ServerSentEvents.WriteDoneAsync(context).ConfigureAwait(false);
    }

    /// <summary>Headers are gone already; the error travels as an event, as llama-server does.</summary>
    private static Task WriteStreamErrorAsync(HttpContext context, EngineUnavailableException ex)
    {
        var error = new ApiException(StatusCodes.Status503ServiceUnavailable, "server_error", ex.Message);
        return ServerSentEvents.WriteAsync(context, JsonResponses.Serialize(w => ErrorResponses.WriteEnvelope(w, error)));
    }
}
