using System.Text.Json;

namespace ModelSwap.Engine.Tools;

/// <summary>One function the model may call: its name and the JSON Schema of its arguments.</summary>
internal sealed record ToolDefinition(string Name, JsonElement Parameters);
