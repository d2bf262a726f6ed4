using System.Globalization;
using System.Text.Json.Nodes;

namespace ModelSwap.Gateway.Translation;

/// <summary>The objects of Ollama's /api/chat and /api/generate answers (one per NDJSON line when streaming).</summary>
internal static class OllamaReplies
{
    public static string Timestamp(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A streamed piece of the answer (done: false).</summary>
    public static JsonObject Piece(bool chat, string model, DateTimeOffset at, string content, string thinking, JsonArray? toolCalls = null)
    {
        var reply = Head(model, at);
        if (chat)
        {
            var message = new JsonObject { ["role"] = "assistant", ["content"] = content };
            if (thinking.Length > 0)
            {
                message["thinking"] = thinking;
            }
            if (toolCalls is not null)
            {
                message["tool_calls"] = toolCalls;
            }
            reply["message"] = message;
        }
        else
        {
            reply["response"] = content;
            if (thinking.Length > 0)
            {
                reply["thinking"] = thinking;
            }
        }
        reply["done"] = false;
        return reply;
    }

    /// <summary>
    /// The last object (done: true). Streaming puts no text in it (the pieces carried it); a whole
    /// answer carries all of it.
    /// </summary>
    public static JsonObject Done(bool chat, string model, DateTimeOffset at, GenerationTally? tally, OllamaDurations durations,
        bool whole, bool thinking, string? doneReason = null)
    {
        var content = whole ? tally?.Content ?? "" : "";
        var thought = whole && thinking ? tally?.Thinking ?? "" : "";
        var toolCalls = whole && tally?.ToolCalls.Any == true ? tally.ToolCalls.ToOllama() : null;
        var reply = Piece(chat, model, at, content, thought, toolCalls);
        reply["done"] = true;
        reply["done_reason"] = doneReason ?? tally?.DoneReason ?? "stop";
        reply["total_duration"] = OllamaDurations.Nanoseconds(durations.Total);
        reply["load_duration"] = OllamaDurations.Nanoseconds(durations.Load);
        if (tally is not null)
        {
            reply["prompt_eval_count"] = tally.PromptTokens ?? 0;
            reply["prompt_eval_duration"] = OllamaDurations.Nanoseconds(durations.PromptEval);
            reply["eval_count"] = tally.CompletionTokens ?? 0;
            reply["eval_duration"] = OllamaDurations.Nanoseconds(durations.Eval);
        }
        return reply;
    }

    private static JsonObject Head(string model, DateTimeOffset at) => new()
    {
        ["model"] = model,
        ["created_at"] = Timestamp(at),
    };
}
