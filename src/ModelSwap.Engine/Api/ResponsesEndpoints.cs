using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ModelSwap.Engine.Hosting;
using ModelSwap.Engine.Inference;
using ModelSwap.Engine.Tools;

namespace ModelSwap.Engine.Api;

/// <summary>
/// `POST /v1/responses`, OpenAI's Responses API: input items, instructions, tools, text.format,
/// previous_response_id (kept in this process's memory), whole or as its typed stream events.
/// </summary>
internal static class ResponsesEndpoints
{
    public static async Task CreateAsync(HttpContext context, EngineState state, ReadyModel ready)
    {
        using var body = await JsonBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
        var root = body.RootElement;

        var conversation = new List<object?>();
        if (JsonFields.String(root, "previous_response_id") is { } previous)
        {
            conversation.AddRange(ready.Responses.Get(previous) ?? throw new ApiException(StatusCodes.Status404NotFound, "invalid_request_error",
                $"Previous response with id '{previous}' not found (the engine keeps responses in memory until it restarts).", "previous_response_id", "previous_response_not_found"));
        }
        conversation.AddRange(ResponsesInput.Parse(root));
        var messages = new List<object?>(conversation);
        // Instructions apply to this response only; they are not carried into the stored conversation.
        if (JsonFields.String(root, "instructions") is { Length: > 0 } instructions)
            messages.Insert(0, ResponsesInput.Message("system", instructions));

        var options = GenerationOptionsParser.Parse(root);
        if (JsonFields.Integer(root, "max_output_tokens", 1, int.MaxValue) is { } maxOutput)
            options = options with { MaxTokens = (int)maxOutput };
        if (JsonFields.TryGet(root, "text", out var text) && text.ValueKind == JsonValueKind.Object && JsonFields.TryGet(text, "format", out var format))
            options = options with { Grammar = ResponseFormatParser.Grammar(format, "text.format") };

        var responses = new ResponsesFormat(ResponseIds.New("resp_"), state.Time.GetUtcNow().ToUnixTimeSeconds(), ready.Model.ModelId, root);
        var generation = await ChatGeneration.StartAsync(context, ready, root, messages, options, responses.Id, "input").ConfigureAwait(false);

        IReadOnlyList<ResponseOutputItem> output;
        if (options.Stream)
        {
            var stream = new ResponsesStream(context, responses);
            await stream.StartAsync().ConfigureAwait(false);
            var streamed = await generation.StreamAsync(stream.ContentAsync, stream.CallAsync, context.RequestAborted).ConfigureAwait(false);
            await stream.FinishAsync(Status(streamed, stream.Items), streamed).ConfigureAwait(false);
            output = stream.Items;
        }
        else
        {
            var (collected, result) = await generation.ReadWholeAsync(context.RequestAborted).ConfigureAwait(false);
            var (content, parsed) = generation.Split(collected);
            output = ResponseOutputItem.For(ResponseIds.New("msg_"), content, parsed);
            await JsonResponses.WriteBytesAsync(context, responses.Response(Status(result, output), output, result)).ConfigureAwait(false);
        }

        var reply = string.Concat(output.Select(o => o.Text));
        var calls = output.Where(o => o.Call is not null).Select(o => o.Call!).ToList();
        var assistant = ResponsesInput.Message("assistant", reply);
        if (calls.Count > 0)
        {
            assistant["tool_calls"] = calls.Select(c => (object?)new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["id"] = c.Id,
                ["type"] = "function",
                ["function"] = new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = c.Name, ["arguments"] = ParseArguments(c.Arguments) },
            }).ToList();
        }
        conversation.Add(assistant);
        if (JsonFields.Bool(root, "store") ?? true)
            ready.Responses.Add(responses.Id, conversation);
    }

    private static string Status(GenerationResult result, IReadOnlyList<ResponseOutputItem> output) =>
        output.All(o => o.Call is null) && result.FinishReason == FinishReason.Length ? "incomplete" : "completed";

    private static object? ParseArguments(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return Templates.JinjaJson.FromJson(document.RootElement);
        }
        catch (JsonException)
        {
            return json;
        }
    }
}
