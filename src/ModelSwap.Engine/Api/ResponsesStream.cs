using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ModelSwap.Engine.Inference;
using ModelSwap.Engine.Tools;

namespace ModelSwap.Engine.Api;

/// <summary>
/// A streamed Responses API answer, as OpenAI sends it: response.created / in_progress, then per output
/// item `output_item.added` … `output_item.done` (a message's text parts and deltas, or a function call's
/// argument events), then response.completed or incomplete with every item. Content opens a message
/// item; a tool call closes it and becomes its own item, so text after a call opens a new message.
/// </summary>
internal sealed class ResponsesStream(HttpContext context, ResponsesFormat format)
{
    private readonly List<ResponseOutputItem> _items = [];
    private StringBuilder? _message;
    private string _messageId = "";

    public IReadOnlyList<ResponseOutputItem> Items => _items;

    public async Task StartAsync()
    {
        await ServerSentEvents.StartAsync(context).ConfigureAwait(false);
        await SendAsync(format.ResponseEvent("response.created", "in_progress", [], null)).ConfigureAwait(false);
        await SendAsync(format.ResponseEvent("response.in_progress", "in_progress", [], null)).ConfigureAwait(false);
    }

    public async Task ContentAsync(string text)
    {
        if (text.Length == 0)
            return;
        if (_message is null)
            await OpenMessageAsync().ConfigureAwait(false);
        _message!.Append(text);
        await TextEventAsync("response.output_text.delta", w => w.WriteString("delta", text)).ConfigureAwait(false);
    }

    public async Task CallAsync(ParsedToolCall call)
    {
        await CloseMessageAsync().ConfigureAwait(false);
        var item = ResponseOutputItem.FunctionCall(call);
        var index = _items.Count;
        _items.Add(item);
        await ItemEventAsync("response.output_item.added", index, item, "in_progress").ConfigureAwait(false);
        // The call arrives complete (ToolCallStream parses whole calls): its arguments are one delta.
        await SendAsync(format.Event("response.function_call_arguments.delta", w =>
        {
            w.WriteString("item_id", item.Id);
            w.WriteNumber("output_index", index);
            w.WriteString("delta", call.Arguments);
        })).ConfigureAwait(false);
        await SendAsync(format.Event("response.function_call_arguments.done", w =>
        {
            w.WriteString("item_id", item.Id);
            w.WriteNumber("output_index", index);
            w.WriteString("name", call.Name);
            w.WriteString("arguments", call.Arguments);
        })).ConfigureAwait(false);
        await ItemEventAsync("response.output_item.done", index, item, "completed").ConfigureAwait(false);
    }

    /// <summary>Closes the open message (a reply with no output at all still gets an empty one) and sends the final response.</summary>
    public async Task FinishAsync(string status, GenerationResult result)
    {
        if (_items.Count == 0 && _message is null)
            await OpenMessageAsync().ConfigureAwait(false);
        await CloseMessageAsync().ConfigureAwait(false);
        await SendAsync(format.ResponseEvent(status == "completed" ? "response.completed" : "response.incomplete", status, _items, result)).ConfigureAwait(false);
    }

    private async Task OpenMessageAsync()
    {
        _message = new StringBuilder();
        _messageId = ResponseIds.New("msg_");
        await ItemEventAsync("response.output_item.added", _items.Count, ResponseOutputItem.Message(_messageId, ""), "in_progress").ConfigureAwait(false);
        await TextEventAsync("response.content_part.added", w =>
        {
            w.WritePropertyName("part");
            ResponsesFormat.WriteTextPart(w, "");
        }).ConfigureAwait(false);
    }

    private async Task CloseMessageAsync()
    {
        if (_message is null)
            return;
        var text = _message.ToString();
        await TextEventAsync("response.output_text.done", w => w.WriteString("text", text)).ConfigureAwait(false);
        await TextEventAsync("response.content_part.done", w =>
        {
            w.WritePropertyName("part");
            ResponsesFormat.WriteTextPart(w, text);
        }).ConfigureAwait(false);
        var item = ResponseOutputItem.Message(_messageId, text);
        await ItemEventAsync("response.output_item.done", _items.Count, item, "completed").ConfigureAwait(false);
        _items.Add(item);
        _message = null;
    }

    private Task ItemEventAsync(string type, int index, ResponseOutputItem item, string status) =>
        SendAsync(format.Event(type, w =>
        {
            w.WriteNumber("output_index", index);
            w.WritePropertyName("item");
            ResponsesFormat.WriteItem(w, item, status);
        }));

    /// <summary>An event about the open message's one text part: item, output and content indexes, then its own fields.</summary>
    private Task TextEventAsync(string type, Action<Utf8JsonWriter> fields) =>
        SendAsync(format.Event(type, w =>
        {
            w.WriteString("item_id", _messageId);
            w.WriteNumber("output_index", _items.Count);
            w.WriteNumber("content_index", 0);
            fields(w);
            if (type is "response.output_text.delta" or "response.output_text.done")
            {
                w.WriteStartArray("logprobs");
                w.WriteEndArray();
            }
        }));

    private Task SendAsync((string Type, byte[] Json) e) => ServerSentEvents.WriteEventAsync(context, e.Type, e.Json);
}
