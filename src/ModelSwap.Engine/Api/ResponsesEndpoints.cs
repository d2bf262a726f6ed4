using System.Text;
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
        var generation = ChatGeneration.Start(context, ready, root, messages, options, responses.Id, "input");

        string reply;
        List<ParsedToolCall> calls = [];
        GenerationResult result;
        if (options.Stream)
        {
            (reply, calls, result) = await StreamAsync(context, responses, generation).ConfigureAwait(false);
        }
        else
        {
            (var collected, result) = await generation.ReadWholeAsync(context.RequestAborted).ConfigureAwait(false);
            (reply, calls) = generation.Split(collected);
            await JsonResponses.WriteBytesAsync(context, responses.Response(Status(result, calls), reply, calls, result)).ConfigureAwait(false);
        }

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

    private static string Status(GenerationResult result, List<ParsedToolCall> calls) =>
        calls.Count == 0 && result.FinishReason == FinishReason.Length ? "incomplete" : "completed";


    private static async Task<(string, List<ParsedToolCall>, GenerationResult)> StreamAsync(HttpContext context, ResponsesFormat f, ChatGeneration generation)
    {
        var (job, tools) = (generation.Job, generation.Tools);
        var none = new List<ParsedToolCall>();
        await ServerSentEvents.StartAsync(context).ConfigureAwait(false);
        await Send(context, f.ResponseEvent("response.created", "in_progress", "", none, null)).ConfigureAwait(false);
        await Send(context, f.ResponseEvent("response.in_progress", "in_progress", "", none, null)).ConfigureAwait(false);

        var text = new StringBuilder();
        var messageOpen = false;
        async Task OpenMessage()
        {
            messageOpen = true;
            await Send(context, f.Event("response.output_item.added", w =>
            {
                w.WriteNumber("output_index", 0);
                w.WritePropertyName("item");
                f.WriteMessageItem(w, "", "in_progress");
            })).ConfigureAwait(false);
            await Send(context, f.Event("response.content_part.added", w =>
            {
                w.WriteString("item_id", f.MessageId);
                w.WriteNumber("output_index", 0);
                w.WriteNumber("content_index", 0);
                w.WritePropertyName("part");
                ResponsesFormat.WriteTextPart(w, "");
            })).ConfigureAwait(false);
        }
        async Task Delta(string piece)
        {
            await Send(context, f.Event("response.output_text.delta", w =>
            {
                w.WriteString("item_id", f.MessageId);
                w.WriteNumber("output_index", 0);
                w.WriteNumber("content_index", 0);
                w.WriteString("delta", piece);
                w.WriteStartArray("logprobs");
                w.WriteEndArray();
            })).ConfigureAwait(false);
        }

        await foreach (var piece in job.Text.ReadAllAsync(context.RequestAborted).ConfigureAwait(false))
        {
            text.Append(piece);
            if (tools is not null)
                continue; // a tool call is only known once the reply is complete
            if (!messageOpen)
                await OpenMessage().ConfigureAwait(false);
            await Delta(piece).ConfigureAwait(false);
        }
        var result = await job.Result.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        var (reply, calls) = generation.Split(text.ToString());
        if (tools is not null && (reply.Length > 0 || calls.Count == 0))
        {
            await OpenMessage().ConfigureAwait(false);
            if (reply.Length > 0)
                await Delta(reply).ConfigureAwait(false);
        }
        else if (!messageOpen && calls.Count == 0)
        {
            await OpenMessage().ConfigureAwait(false);
        }

        var outputIndex = 0;
        if (messageOpen)
        {
            await Send(context, f.Event("response.output_text.done", w =>
            {
                w.WriteString("item_id", f.MessageId);
                w.WriteNumber("output_index", 0);
                w.WriteNumber("content_index", 0);
                w.WriteString("text", reply);
                w.WriteStartArray("logprobs");
                w.WriteEndArray();
            })).ConfigureAwait(false);
            await Send(context, f.Event("response.content_part.done", w =>
            {
                w.WriteString("item_id", f.MessageId);
                w.WriteNumber("output_index", 0);
                w.WriteNumber("content_index", 0);
                w.WritePropertyName("part");
                ResponsesFormat.WriteTextPart(w, reply);
            })).ConfigureAwait(false);
            await Send(context, f.Event("response.output_item.done", w =>
            {
                w.WriteNumber("output_index", 0);
                w.WritePropertyName("item");
                f.WriteMessageItem(w, reply, "completed");
            })).ConfigureAwait(false);
            outputIndex = 1;
        }
        foreach (var call in calls)
        {
            var index = outputIndex++;
            var itemId = "fc_" + call.Id.Replace("call_", "", StringComparison.Ordinal);
            await Send(context, f.Event("response.output_item.added", w =>
            {
                w.WriteNumber("output_index", index);
                w.WritePropertyName("item");
                ResponsesFormat.WriteCallItem(w, call, "in_progress");
            })).ConfigureAwait(false);
            await Send(context, f.Event("response.function_call_arguments.delta", w =>
            {
                w.WriteString("item_id", itemId);
                w.WriteNumber("output_index", index);
                w.WriteString("delta", call.Arguments);
            })).ConfigureAwait(false);
            await Send(context, f.Event("response.function_call_arguments.done", w =>
            {
                w.WriteString("item_id", itemId);
                w.WriteNumber("output_index", index);
                w.WriteString("arguments", call.Arguments);
            })).ConfigureAwait(false);
            await Send(context, f.Event("response.output_item.done", w =>
            {
                w.WriteNumber("output_index", index);
                w.WritePropertyName("item");
                ResponsesFormat.WriteCallItem(w, call, "completed");
            })).ConfigureAwait(false);
        }
        var status = Status(result, calls);
        await Send(context, f.ResponseEvent(status == "completed" ? "response.completed" : "response.incomplete", status, reply, calls, result)).ConfigureAwait(false);
        return (reply, calls, result);
    }

    private static Task Send(HttpContext context, byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        return ServerSentEvents.WriteEventAsync(context, document.RootElement.GetProperty("type").GetString()!, json);
    }

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
