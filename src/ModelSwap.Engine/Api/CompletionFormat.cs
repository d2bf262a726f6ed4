using System.Text.Json;
using ModelSwap.Engine.Inference;
using ModelSwap.Engine.Tools;

namespace ModelSwap.Engine.Api;

/// <summary>
/// The JSON of one completion response, chat or text, whole or as stream chunks. Chat puts text in
/// `message`/`delta`, text completions in `text`; the rest (usage, llama-server's timings) is shared.
/// </summary>
internal sealed class CompletionFormat(bool chat, string id, long created, string model)
{
    public string Id { get; } = id;

    public byte[] Whole(string text, GenerationResult result, IReadOnlyList<ParsedToolCall>? calls = null, IReadOnlyList<TokenLogprob>? logprobs = null) => JsonResponses.Serialize(writer =>
    {
        WriteHeader(writer, chat ? "chat.completion" : "text_completion");
        writer.WriteStartArray("choices");
        writer.WriteStartObject();
        writer.WriteNumber("index", 0);
        if (chat)
        {
            writer.WriteStartObject("message");
            writer.WriteString("role", "assistant");
            if (calls is { Count: > 0 } && text.Length == 0)
                writer.WriteNull("content");
            else
                writer.WriteString("content", text);
            if (calls is { Count: > 0 })
                WriteToolCalls(writer, calls);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteString("text", text);
        }
        WriteLogprobs(writer, logprobs, 0);
        writer.WriteString("finish_reason", calls is { Count: > 0 } ? "tool_calls" : result.FinishReasonText);
        writer.WriteEndObject();
        writer.WriteEndArray();
        WriteUsage(writer, result);
        WriteTimings(writer, result);
        writer.WriteEndObject();
    });

    /// <summary>Several choices (n > 1, or several prompts): each with its index, text, own logprobs and finish_reason; usage summed.</summary>
    public byte[] WholeMany(IReadOnlyList<(string Text, GenerationResult Result, IReadOnlyList<TokenLogprob>? Logprobs)> choices, int promptTokens) => JsonResponses.Serialize(writer =>
    {
        WriteHeader(writer, chat ? "chat.completion" : "text_completion");
        writer.WriteStartArray("choices");
        for (var i = 0; i < choices.Count; i++)
        {
            writer.WriteStartObject();
            writer.WriteNumber("index", i);
            if (chat)
            {
                writer.WriteStartObject("message");
                writer.WriteString("role", "assistant");
                writer.WriteString("content", choices[i].Text);
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteString("text", choices[i].Text);
            }
            WriteLogprobs(writer, choices[i].Logprobs, 0);
            writer.WriteString("finish_reason", choices[i].Result.FinishReasonText);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        WriteUsage(writer, Sum(choices.Select(c => c.Result).ToList(), promptTokens));
        writer.WriteEndObject();
    });

    /// <summary>Usage of several choices: each prompt counted once, every completion token counted.</summary>
    public static GenerationResult Sum(IReadOnlyList<GenerationResult> results, int promptTokens) =>
        new(results[0].FinishReason, promptTokens, results.Sum(r => r.CompletionTokens),
            results.Max(r => r.PromptTime), results.Max(r => r.PredictTime));

    /// <summary>A stream chunk: the first announces the assistant role (chat), the last carries finish_reason and timings.</summary>
    public byte[] Chunk(string text, bool first = false, GenerationResult? final = null, string? finishReason = null, int index = 0, IReadOnlyList<TokenLogprob>? logprobs = null, int textOffset = 0) => JsonResponses.Serialize(writer =>
    {
        WriteHeader(writer, chat ? "chat.completion.chunk" : "text_completion");
        writer.WriteStartArray("choices");
        writer.WriteStartObject();
        writer.WriteNumber("index", index);
        if (chat)
        {
            writer.WriteStartObject("delta");
            if (first)
                writer.WriteString("role", "assistant");
            if (final is null)
                writer.WriteString("content", text);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteString("text", text);
        }
        WriteLogprobs(writer, logprobs, textOffset);
        if (final is null)
            writer.WriteNull("finish_reason");
        else
            writer.WriteString("finish_reason", finishReason ?? final.FinishReasonText);
        writer.WriteEndObject();
        writer.WriteEndArray();
        if (final is not null)
            WriteTimings(writer, final);
        writer.WriteEndObject();
    });

    /// <summary>The tool calls of a streamed reply as one delta: index, id, type, name and the whole arguments.</summary>
    public byte[] ToolCallsChunk(IReadOnlyList<ParsedToolCall> calls, int firstIndex = 0) => JsonResponses.Serialize(writer =>
    {
        WriteHeader(writer, "chat.completion.chunk");
        writer.WriteStartArray("choices");
        writer.WriteStartObject();
        writer.WriteNumber("index", 0);
        writer.WriteStartObject("delta");
        WriteToolCalls(writer, calls, firstIndex);
        writer.WriteEndObject();
        writer.WriteNull("logprobs");
        writer.WriteNull("finish_reason");
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    private static void WriteToolCalls(Utf8JsonWriter writer, IReadOnlyList<ParsedToolCall> calls, int firstIndex = 0)
    {
        writer.WriteStartArray("tool_calls");
        for (var i = 0; i < calls.Count; i++)
        {
            writer.WriteStartObject();
            writer.WriteNumber("index", firstIndex + i);
            writer.WriteString("id", calls[i].Id);
            writer.WriteString("type", "function");
            writer.WriteStartObject("function");
            writer.WriteString("name", calls[i].Name);
            writer.WriteString("arguments", calls[i].Arguments);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
    }

    /// <summary>OpenAI's closing chunk for stream_options.include_usage: no choices, only usage.</summary>
    public byte[] UsageChunk(GenerationResult result) => JsonResponses.Serialize(writer =>
    {
        WriteHeader(writer, chat ? "chat.completion.chunk" : "text_completion");
        writer.WriteStartArray("choices");
        writer.WriteEndArray();
        WriteUsage(writer, result);
        writer.WriteEndObject();
    });

    /// <summary>Chat's `logprobs.content` entries, or legacy completions' parallel arrays (tokens, token_logprobs, top_logprobs, text_offset).</summary>
    private void WriteLogprobs(Utf8JsonWriter writer, IReadOnlyList<TokenLogprob>? logprobs, int textOffset)
    {
        if (logprobs is null)
        {
            writer.WriteNull("logprobs");
            return;
        }
        writer.WriteStartObject("logprobs");
        if (chat)
        {
            writer.WriteStartArray("content");
            foreach (var entry in logprobs)
            {
                writer.WriteStartObject();
                WriteToken(writer, entry.Token, entry.Logprob);
                writer.WriteStartArray("top_logprobs");
                foreach (var (token, logprob) in entry.Top)
                {
                    writer.WriteStartObject();
                    WriteToken(writer, token, logprob);
                    writer.WriteEndObject();
                }
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteNull("refusal");
        }
        else
        {
            writer.WriteStartArray("tokens");
            foreach (var entry in logprobs)
                writer.WriteStringValue(entry.Token);
            writer.WriteEndArray();
            writer.WriteStartArray("token_logprobs");
            foreach (var entry in logprobs)
                writer.WriteNumberValue(entry.Logprob);
            writer.WriteEndArray();
            writer.WriteStartArray("top_logprobs");
            foreach (var entry in logprobs)
            {
                writer.WriteStartObject();
                foreach (var (token, logprob) in entry.Top)
                    writer.WriteNumber(token, logprob);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteStartArray("text_offset");
            var offset = textOffset;
            foreach (var entry in logprobs)
            {
                writer.WriteNumberValue(offset);
                offset += entry.Token.Length;
            }
            writer.WriteEndArray();
        }
        writer.WriteEndObject();
    }

    private static void WriteToken(Utf8JsonWriter writer, string token, float logprob)
    {
        writer.WriteString("token", token);
        writer.WriteNumber("logprob", logprob);
        writer.WriteStartArray("bytes");
        foreach (var b in System.Text.Encoding.UTF8.GetBytes(token))
            writer.WriteNumberValue(b);
        writer.WriteEndArray();
    }

    private void WriteHeader(Utf8JsonWriter writer, string objectType)
    {
        writer.WriteStartObject();
        writer.WriteString("id", Id);
        writer.WriteString("object", objectType);
        writer.WriteNumber("created", created);
        writer.WriteString("model", model);
        writer.WriteString("system_fingerprint", "modelswap-engine");
    }

    private static void WriteUsage(Utf8JsonWriter writer, GenerationResult result)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", result.PromptTokens);
        writer.WriteNumber("completion_tokens", result.CompletionTokens);
        writer.WriteNumber("total_tokens", result.PromptTokens + result.CompletionTokens);
        writer.WriteEndObject();
    }

    /// <summary>llama-server's `timings` block, which llama.cpp users and dashboards read for speed.</summary>
    internal static void WriteTimings(Utf8JsonWriter writer, GenerationResult result)
    {
        var promptMs = result.PromptTime.TotalMilliseconds;
        var predictedMs = result.PredictTime.TotalMilliseconds;
        writer.WriteStartObject("timings");
        writer.WriteNumber("prompt_n", result.PromptTokens);
        writer.WriteNumber("prompt_ms", Math.Round(promptMs, 3));
        writer.WriteNumber("prompt_per_token_ms", PerToken(promptMs, result.PromptTokens));
        writer.WriteNumber("prompt_per_second", PerSecond(promptMs, result.PromptTokens));
        writer.WriteNumber("predicted_n", result.CompletionTokens);
        writer.WriteNumber("predicted_ms", Math.Round(predictedMs, 3));
        writer.WriteNumber("predicted_per_token_ms", PerToken(predictedMs, result.CompletionTokens));
        writer.WriteNumber("predicted_per_second", PerSecond(predictedMs, result.CompletionTokens));
        writer.WriteEndObject();
    }

    private static double PerToken(double ms, int tokens) => tokens > 0 ? Math.Round(ms / tokens, 3) : 0;

    private static double PerSecond(double ms, int tokens) => ms > 0 ? Math.Round(tokens * 1000.0 / ms, 2) : 0;
}
