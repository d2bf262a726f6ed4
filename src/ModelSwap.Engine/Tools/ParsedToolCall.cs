namespace ModelSwap.Engine.Tools;

/// <summary>A tool call read from the model's output: id, function name, arguments as JSON text.</summary>
internal sealed record ParsedToolCall(string Id, string Name, string Arguments);
