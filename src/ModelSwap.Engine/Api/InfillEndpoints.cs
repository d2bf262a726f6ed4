using System.Text;
using System.Text.Json;
using LLama.Native;
using Microsoft.AspNetCore.Http;
using ModelSwap.Engine.Hosting;
using ModelSwap.Engine.Inference;
using ModelSwap.Engine.Model;

namespace ModelSwap.Engine.Api;

/// <summary>
/// `POST /infill`: llama-server's fill-in-the-middle API (input_prefix, input_suffix, input_extra,
/// prompt, plus the usual sampling fields), answered in its native /completion shape (content, stop,
/// stop_type, tokens_predicted, tokens_evaluated, timings), so the gateway's Ollama `suffix` works the
/// same with either runtime. Only models whose vocabulary has the prefix, suffix and middle markers
/// can do it; others get a 400 naming the missing tokens.
/// </summary>
internal static class InfillEndpoints
{
    /// <summary>Editors send a few neighbouring files; more is a client bug, not context.</summary>
    private const int MaxExtraChunks = 64;

    public static async Task InfillAsync(HttpContext context, EngineState state, ReadyModel ready)
    {
        var tokens = TokensOf(ready.Model);
        using var body = await JsonBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
        var root = body.RootElement;
        var prefix = JsonFields.String(root, "input_prefix") ?? throw ApiException.BadRequest("'input_prefix' is required.", "input_prefix");
        var suffix = JsonFields.String(root, "input_suffix") ?? throw ApiException.BadRequest("'input_suffix' is required.", "input_suffix");
        var prompt = JsonFields.String(root, "prompt") ?? "";
        var chunks = ReadExtra(root);
        var options = GenerationOptionsParser.Parse(root);
        if (options.Choices > 1)
            throw ApiException.BadRequest("'n' must be 1 for /infill.", "n");

        var model = ready.Model;
        var window = model.ContextPerRequest;
        // The engine has one context per request and no separate batch size: prefix and suffix may
        // take half of it, so extra context and the reply keep the other half.
        var batch = window / 2;
        var layout = InfillLayout.Build(tokens,
            Plain(model, prefix), Plain(model, suffix), Ids(model.Weights.Tokenize(prompt, add_bos: false, special: true, Encoding.UTF8)),
            InfillLayout.Extra(tokens, chunks, text => Plain(model, text)), batch, window, options.MaxTokens);
        var promptTokens = layout.Select(id => (LLamaToken)id).ToArray();
        GenerationResponder.CheckPrompt(ready, promptTokens, "input_prefix");

        var job = ready.Loop.Submit(new GenerationRequest(ResponseIds.New("infill-"), promptTokens, options.MaxTokens, options.Sampling, options.Stop, options.Grammar) { Streamed = options.Stream },
            context.RequestAborted);
        var format = new InfillFormat(model.ModelId, layout.Length, PromptText(model, layout));
        if (options.Stream)
            await StreamAsync(context, format, job).ConfigureAwait(false);
        else
            await WholeAsync(context, format, job).ConfigureAwait(false);
    }

    /// <summary>The model's markers, as llama.cpp read them from the GGUF (fim_* keys, the older prefix/suffix/middle keys, or known token texts).</summary>
    public static InfillTokens TokensOf(LoadedModel model)
    {
        var vocab = model.Vocab;
        var missing = new List<string>();
        if (vocab.InfillPrefix is null)
            missing.Add("prefix (tokenizer.ggml.fim_pre_token_id)");
        if (vocab.InfillSuffix is null)
            missing.Add("suffix (tokenizer.ggml.fim_suf_token_id)");
        if (vocab.InfillMiddle is null)
            missing.Add("middle (tokenizer.ggml.fim_mid_token_id)");
        if (missing.Count > 0)
        {
            throw ApiException.BadRequest(
                $"Model '{model.ModelId}' cannot fill in the middle: its GGUF declares no {string.Join(", no ", missing)} token.",
                "input_suffix", "infill_not_supported");
        }
        return new InfillTokens((int)vocab.InfillPrefix!.Value, (int)vocab.InfillSuffix!.Value, (int)vocab.InfillMiddle!.Value,
            vocab.ShouldAddBOS && vocab.BOS is { } bos ? (int)bos : null,
            vocab.InfillRep is { } rep ? (int)rep : null,
            vocab.InfillSep is { } sep ? (int)sep : null);
    }

    private static List<InfillChunk> ReadExtra(JsonElement root)
    {
        var chunks = new List<InfillChunk>();
        if (!JsonFields.TryGet(root, "input_extra", out var extra))
            return chunks;
        if (extra.ValueKind != JsonValueKind.Array)
            throw ApiException.BadRequest($"'input_extra' must be an array of {{\"filename\": string, \"text\": string}}, not {JsonFields.Describe(extra.ValueKind)}.", "input_extra");
        if (extra.GetArrayLength() > MaxExtraChunks)
            throw ApiException.BadRequest($"'input_extra' holds {extra.GetArrayLength()} chunks; at most {MaxExtraChunks}.", "input_extra");
        var index = 0;
        foreach (var chunk in extra.EnumerateArray())
        {
            var where = $"input_extra[{index}]";
            if (chunk.ValueKind != JsonValueKind.Object)
                throw ApiException.BadRequest($"'{where}' must be an object with \"text\" and an optional \"filename\", not {JsonFields.Describe(chunk.ValueKind)}.", "input_extra");
            if (!JsonFields.TryGet(chunk, "text", out var text) || text.ValueKind != JsonValueKind.String)
                throw ApiException.BadRequest($"'{where}.text' must be a string.", "input_extra");
            var fileName = "tmp"; // llama-server's name for a chunk without one
            if (JsonFields.TryGet(chunk, "filename", out var name))
            {
                if (name.ValueKind != JsonValueKind.String)
                    throw ApiException.BadRequest($"'{where}.filename' must be a string, not {JsonFields.Describe(name.ValueKind)}.", "input_extra");
                fileName = name.GetString()!;
            }
            chunks.Add(new InfillChunk(fileName, text.GetString()!));
            index++;
        }
        return chunks;
    }

    /// <summary>Code around the cursor is text, never markup: a "&lt;|fim_suffix|&gt;" in it stays characters.</summary>
    private static int[] Plain(LoadedModel model, string text) =>
        text.Length == 0 ? [] : Ids(model.Weights.Tokenize(text, add_bos: false, special: false, Encoding.UTF8));

    /// <summary>
    /// The prompt as llama-server reports it (llama.cpp's detokenize): markers spelled out, so a client
    /// can see the layout, and for SentencePiece vocabularies without the space their tokenizer put
    /// before the first word.
    /// </summary>
    private static string PromptText(LoadedModel model, int[] layout)
    {
        var decoder = new LLama.StreamingTokenDecoder(Encoding.UTF8, model.Weights) { DecodeSpecialTokens = true };
        foreach (var id in layout)
            decoder.Add(id);
        var text = decoder.Read();
        return model.Vocab.Type == LLamaVocabType.SentencePiece && text.StartsWith(' ') ? text[1..] : text;
    }

    private static int[] Ids(LLamaToken[] tokens) => [.. tokens.Select(t => (int)t)];

    private static async Task WholeAsync(HttpContext context, InfillFormat format, GenerationJob job)
    {
        var text = new StringBuilder();
        await foreach (var piece in job.Text.ReadAllAsync(context.RequestAborted).ConfigureAwait(false))
            text.Append(piece);
        var result = await job.Result.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        await JsonResponses.WriteBytesAsync(context, format.Final(text.ToString(), result)).ConfigureAwait(false);
    }

    /// <summary>llama-server's native stream: `data: {…}` events, the last with stop true and timings, no [DONE].</summary>
    private static async Task StreamAsync(HttpContext context, InfillFormat format, GenerationJob job)
    {
        await ServerSentEvents.StartAsync(context).ConfigureAwait(false);
        await foreach (var piece in job.Text.ReadAllAsync(context.RequestAborted).ConfigureAwait(false))
            await ServerSentEvents.WriteAsync(context, format.Piece(piece)).ConfigureAwait(false);
        GenerationResult result;
        try
        {
            result = await job.Result.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (EngineUnavailableException ex)
        {
            var error = new ApiException(StatusCodes.Status503ServiceUnavailable, "server_error", ex.Message);
            await ServerSentEvents.WriteAsync(context, JsonResponses.Serialize(w => ErrorResponses.WriteEnvelope(w, error))).ConfigureAwait(false);
            return;
        }
        await ServerSentEvents.WriteAsync(context, format.Final("", result)).ConfigureAwait(false);
    }
}
