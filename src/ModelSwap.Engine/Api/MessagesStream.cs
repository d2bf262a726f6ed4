using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ModelSwap.Engine.Inference;
using ModelSwap.Engine.Tools;

namespace ModelSwap.Engine.Api;

/// <summary>
/// A streamed Messages API answer, as Anthropic sends it: message_start, then content blocks (a text
/// block's `text_delta`s, or a `tool_use` block whose input arrives as `input_json_delta`), then
/// message_delta with the stop reason and message_stop. A tool call closes the open text block; text
/// after it opens a new one.
/// </summary>
internal sealed class MessagesStream(HttpContext context)
{
    private int _blocks;
    private bool _textOpen;

    public int CallCount { get; private set; }

    public async Task StartAsync(string id, string model, int promptTokens)
    {
        await ServerSentEvents.StartAsync(context).ConfigureAwait(false);
        await EventAsync("message_start", w =>
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
            MessagesEndpoints.WriteUsage(w, promptTokens, 0);
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    public async Task ContentAsync(string text)
    {
        if (text.Length == 0)
            return;
        if (!_textOpen)
            await OpenTextAsync().ConfigureAwait(false);
        await DeltaAsync(w =>
        {
            w.WriteString("type", "text_delta");
            w.WriteString("text", text);
        }).ConfigureAwait(false);
    }

    public async Task CallAsync(ParsedToolCall call)
    {
        await CloseBlockAsync().ConfigureAwait(false);
        CallCount++;
        var anthropic = MessagesEndpoints.AnthropicCall(call);
        await EventAsync("content_block_start", w =>
        {
            w.WriteNumber("index", _blocks);
            w.WritePropertyName("content_block");
            MessagesEndpoints.WriteToolUse(w, anthropic, withInput: false);
        }).ConfigureAwait(false);
        // The call arrives complete (ToolCallStream parses whole calls): its input is one delta.
        await DeltaAsync(w =>
        {
            w.WriteString("type", "input_json_delta");
            w.WriteString("partial_json", anthropic.Arguments);
        }).ConfigureAwait(false);
        await EventAsync("content_block_stop", w => w.WriteNumber("index", _blocks)).ConfigureAwait(false);
        _blocks++;
    }

    /// <summary>Closes the open block (a reply with nothing at all still gets an empty text block), then the stop reason.</summary>
    public async Task FinishAsync(GenerationResult result)
    {
        if (_blocks == 0 && !_textOpen)
            await OpenTextAsync().ConfigureAwait(false);
        if (_textOpen)
        {
            await EventAsync("content_block_stop", w => w.WriteNumber("index", _blocks)).ConfigureAwait(false);
            _textOpen = false;
            _blocks++;
        }
        await EventAsync("message_delta", w =>
        {
            w.WriteStartObject("delta");
            w.WriteString("stop_reason", MessagesEndpoints.StopReason(result, CallCount));
            MessagesEndpoints.WriteStopSequence(w, result);
            w.WriteEndObject();
            w.WriteStartObject("usage");
            w.WriteNumber("output_tokens", result.CompletionTokens);
            w.WriteEndObject();
        }).ConfigureAwait(false);
        await EventAsync("message_stop", _ => { }).ConfigureAwait(false);
    }

    private Task OpenTextAsync()
    {
        _textOpen = true;
        return EventAsync("content_block_start", w =>
        {
            w.WriteNumber("index", _blocks);
            w.WritePropertyName("content_block");
            MessagesEndpoints.WriteTextBlock(w, "");
        });
    }

    private async Task CloseBlockAsync()
    {
        if (!_textOpen)
            return;
        await EventAsync("content_block_stop", w => w.WriteNumber("index", _blocks)).ConfigureAwait(false);
        _textOpen = false;
        _blocks++;
    }

    private Task DeltaAsync(Action<Utf8JsonWriter> delta) => EventAsync("content_block_delta", w =>
    {
        w.WriteNumber("index", _blocks);
        w.WriteStartObject("delta");
        delta(w);
        w.WriteEndObject();
    });

    private Task EventAsync(string type, Action<Utf8JsonWriter> fields) =>
        ServerSentEvents.WriteEventAsync(context, type, JsonResponses.Serialize(w =>
        {
            w.WriteStartObject();
            w.WriteString("type", type);
            fields(w);
            w.WriteEndObject();
        }));
}
