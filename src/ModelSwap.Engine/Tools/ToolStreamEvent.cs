namespace ModelSwap.Engine.Tools;

/// <summary>What a streamed reply with tools yields next: content text, or one finished tool call.</summary>
internal readonly record struct ToolStreamEvent(string? Content, ParsedToolCall? Call);
