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
        var generation = await ChatGeneration.StartAsync(context, ready, root, messages, options, id, "messages").ConfigureAwait(false);

        if (options.Stream)
        {
            var stream = new MessagesStream(context);
            await stream.StartAsync(id, ready.Model.ModelId, generation.Job.Request.PromptCount).ConfigureAwait(false);
            var streamed = await generation.StreamAsync(stream.ContentAsync, stream.CallAsync, context.RequestAborted).ConfigureAwait(false);
            await stream.FinishAsync(streamed).ConfigureAwait(false);
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
            w.WriteString("stop_reason", StopReason(result, calls.Count));
            WriteStopSequence(w, result);
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
        return (content, calls.Select(AnthropicCall).ToList());
    }

    /// <summary>A call with Anthropic's toolu_ id.</summary>
    public static ParsedToolCall AnthropicCall(ParsedToolCall call) =>
        call with { Id = "toolu_" + call.Id.Replace("call_", "", StringComparison.Ordinal) };

    public static string StopReason(GenerationResult result, int calls) =>
        calls > 0 ? "tool_use" : result.FinishReason == FinishReason.Length ? "max_tokens" : result.StoppingWord is not null ? "stop_sequence" : "end_turn";

    /// <summary>Which of the request's stop_sequences ended the reply (null unless one did).</summary>
    public static void WriteStopSequence(Utf8JsonWriter w, GenerationResult result)
    {
        if (result.StoppingWord is { } word)
            w.WriteString("stop_sequence", word);
        else
            w.WriteNull("stop_sequence");
    }

    public static void WriteTextBlock(Utf8JsonWriter w, string text)
    {
        w.WriteStartObject();
        w.WriteString("type", "text");
        w.WriteString("text", text);
        w.WriteEndObject();
    }

    public static void WriteToolUse(Utf8JsonWriter w, ParsedToolCall call, bool withInput)
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

    public static void WriteUsage(Utf8JsonWriter w, int input, int output)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("input_tokens", input);
        w.WriteNumber("output_tokens", output);
        w.WriteEndObject();
    }
}
