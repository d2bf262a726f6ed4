using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ModelSwap.Engine.Hosting;
using ModelSwap.Engine.Inference;
using ModelSwap.Engine.Tools;

namespace ModelSwap.Engine.Api;

/// <summary>`POST /v1/messages`: Anthropic's Messages API (as llama-server serves it): text, tools, and its stream events.</summary>
internal static class MessagesEndpoints
{
    public static async Task CreateAsync(HttpContext context, EngineState state, ReadyModel ready)
    {
        using var body = await JsonBody.ReadObjectAsync(context.Request).ConfigureAwait(false);
        var root = body.RootElement;
        var messages = MessagesInput.Parse(root);
        var maxTokens = JsonFields.Integer(root, "max_tokens", 1, int.MaxValue)
            ?? throw ApiException.BadRequest("'max_tokens' is required.", "max_tokens");
        var options = GenerationOptionsParser.Parse(root) with { MaxTokens = (int)maxTokens, Stop = StopSequences(root) };

        var id = ResponseIds.New("msg_");
        var generation = ChatGeneration.Start(context, ready, root, messages, options, id, "messages");

        if (options.Stream)
        {
            await StreamAsync(context, id, ready.Model.ModelId, generation).ConfigureAwait(false);
            return;
        }
        var (text, result) = await generation.ReadWholeAsync(context.RequestAborted).ConfigureAwait(false);
        var (reply, calls) = Split(text, generation);
        await JsonResponses.WriteAsync(context, StatusCodes.Status200OK, w =>
        {
            w.WriteStartObject();
            w.WriteString("id", id);
            w.WriteString("type", "message");
            w.WriteString("role", "assistant");
            w.WriteString("model", ready.Model.ModelId);
            w.WriteStartArray("content");
            if (reply.Length > 0 || calls.Count == 0)
                WriteTextBlock(w, reply);
            foreach (var call in calls)
                WriteToolUse(w, call, withInput: true);
            w.WriteEndArray();
            w.WriteString("stop_reason", StopReason(result, calls));
            w.WriteNull("stop_sequence");
            WriteUsage(w, result.PromptTokens, result.CompletionTokens);
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    private static List<string> StopSequences(JsonElement root) =>
        JsonFields.TryGet(root, "stop_sequences", out var stops) && stops.ValueKind == JsonValueKind.Array
            ? stops.EnumerateArray().Where(s => s.ValueKind == JsonValueKind.String).Select(s => s.GetString()!).Where(s => s.Length > 0).ToList()
            : [];

    /// <summary>The shared split, with Anthropic's toolu_ ids.</summary>
    private static (string, List<ParsedToolCall>) Split(string text, ChatGeneration generation)
    {
        var (content, calls) = generation.Split(text);
        return (content, calls.Select(c => c with { Id = "toolu_" + c.Id.Replace("call_", "", StringComparison.Ordinal) }).ToList());
    }

    private static string StopReason(GenerationResult result, List<ParsedToolCall> calls) =>
        calls.Count > 0 ? "tool_use" : result.FinishReason == FinishReason.Length ? "max_tokens" : "end_turn";

    private static void WriteTextBlock(Utf8JsonWriter w, string text)
    {
        w.WriteStartObject();
        w.WriteString("type", "text");
        w.WriteString("text", text);
        w.WriteEndObject();
    }

    private static void WriteToolUse(Utf8JsonWriter w, ParsedToolCall call, bool withInput)
    {
        w.WriteStartObject();
        w.WriteString("type", "tool_use");
        w.WriteString("id", call.Id);
        w.WriteString("name", call.Name);
        w.WritePropertyName("input");
        if (withInput)
        {
            using var input = JsonDocument.Parse(call.Arguments);
            input.RootElement.WriteTo(w);
        }
        else
        {
            w.WriteStartObject();
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void WriteUsage(Utf8JsonWriter w, int input, int output)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("input_tokens", input);
        w.WriteNumber("output_tokens", output);
        w.WriteEndObject();
    }

    private static async Task StreamAsync(HttpContext context, string id, string model, ChatGeneration generation)
    {
        var (job, tools) = (generation.Job, generation.Tools);
        await ServerSentEvents.StartAsync(context).ConfigureAwait(false);
        await Event(context, "message_start", w =>
        {
            w.WriteStartObject("message");
            w.WriteString("id", id);
            w.WriteString("type", "message");
            w.WriteString("role", "assistant");
            w.WriteString("model", model);
            w.WriteStartArray("content");
            w.WriteEndArray();
            w.WriteNull("stop_reason");
            w.WriteNull("stop_sequence");
            WriteUsage(w, job.Request.PromptTokens.Length, 0);
            w.WriteEndObject();
        }).ConfigureAwait(false);

        var blockOpen = false;
        Task Open() => Event(context, "content_block_start", w =>
        {
            w.WriteNumber("index", 0);
            w.WritePropertyName("content_block");
            WriteTextBlock(w, "");
        });
        Task Delta(string piece) => Event(context, "content_block_delta", w =>
        {
            w.WriteNumber("index", 0);
            w.WriteStartObject("delta");
            w.WriteString("type", "text_delta");
            w.WriteString("text", piece);
            w.WriteEndObject();
        });

        var text = new StringBuilder();
        await foreach (var piece in job.Text.ReadAllAsync(context.RequestAborted).ConfigureAwait(false))
        {
            text.Append(piece);
            if (tools is not null)
                continue;
            if (!blockOpen)
            {
                blockOpen = true;
                await Open().ConfigureAwait(false);
            }
            await Delta(piece).ConfigureAwait(false);
        }
        var result = await job.Result.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        var (reply, calls) = Split(text.ToString(), generation);
        if (!blockOpen && (reply.Length > 0 || calls.Count == 0))
        {
            blockOpen = true;
            await Open().ConfigureAwait(false);
            if (tools is not null && reply.Length > 0)
                await Delta(reply).ConfigureAwait(false);
        }
        var index = 0;
        if (blockOpen)
        {
            await Event(context, "content_block_stop", w => w.WriteNumber("index", 0)).ConfigureAwait(false);
            index = 1;
        }
        foreach (var call in calls)
        {
            var at = index++;
            await Event(context, "content_block_start", w =>
            {
                w.WriteNumber("index", at);
                w.WritePropertyName("content_block");
                WriteToolUse(w, call, withInput: false);
            }).ConfigureAwait(false);
            await Event(context, "content_block_delta", w =>
            {
                w.WriteNumber("index", at);
                w.WriteStartObject("delta");
                w.WriteString("type", "input_json_delta");
                w.WriteString("partial_json", call.Arguments);
                w.WriteEndObject();
            }).ConfigureAwait(false);
            await Event(context, "content_block_stop", w => w.WriteNumber("index", at)).ConfigureAwait(false);
        }
        await Event(context, "message_delta", w =>
        {
            w.WriteStartObject("delta");
            w.WriteString("stop_reason", StopReason(result, calls));
            w.WriteNull("stop_sequence");
            w.WriteEndObject();
            w.WriteStartObject("usage");
            w.WriteNumber("output_tokens", result.CompletionTokens);
            w.WriteEndObject();
        }).ConfigureAwait(false);
        await Event(context, "message_stop", _ => { }).ConfigureAwait(false);
    }

    private static Task Event(HttpContext context, string type, Action<Utf8JsonWriter> fields) =>
        ServerSentEvents.WriteEventAsync(context, type, JsonResponses.Serialize(w =>
        {
            w.WriteStartObject();
            w.WriteString("type", type);
            fields(w);
            w.WriteEndObject();
        }));
}
