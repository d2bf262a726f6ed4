using ModelSwap.Engine.Tools;

namespace ModelSwap.Engine.Api;

/// <summary>One item of a response's `output`: an assistant message (its id and text) or a function call.</summary>
internal sealed record ResponseOutputItem(string Id, string? Text, ParsedToolCall? Call)
{
    public static ResponseOutputItem Message(string id, string text) => new(id, text, null);

    public static ResponseOutputItem FunctionCall(ParsedToolCall call) => new(CallItemId(call), null, call);

    /// <summary>The item id OpenAI gives a function call: fc_ with the call's own suffix.</summary>
    public static string CallItemId(ParsedToolCall call) => "fc_" + call.Id.Replace("call_", "", StringComparison.Ordinal);

    /// <summary>A whole (not streamed) reply's items: the message unless the reply is only calls, then each call.</summary>
    public static List<ResponseOutputItem> For(string messageId, string text, IReadOnlyList<ParsedToolCall> calls)
    {
        var items = new List<ResponseOutputItem>();
        if (text.Length > 0 || calls.Count == 0)
            items.Add(Message(messageId, text));
        items.AddRange(calls.Select(FunctionCall));
        return items;
    }
}
