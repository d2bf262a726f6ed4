using System.Text.Json;
using ModelSwap.Engine.Templates;
using ModelSwap.Engine.Tools;

namespace ModelSwap.Engine.Api;

/// <summary>Reads `tools`, `tool_choice` and `parallel_tool_calls` of a chat request (OpenAI's shapes).</summary>
internal static class ToolRequestParser
{
    public static ToolSession? Parse(JsonElement body, string templateSource)
    {
        if (!JsonFields.TryGet(body, "tools", out var tools))
            return null;
        if (tools.ValueKind != JsonValueKind.Array)
            throw ApiException.BadRequest($"'tools' must be an array, not {JsonFields.Describe(tools.ValueKind)}.", "tools");
        var definitions = new List<ToolDefinition>();
        var templateTools = new List<object?>();
        var index = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            var where = $"tools[{index++}]";
            if (tool.ValueKind != JsonValueKind.Object || JsonFields.String(tool, "type") is not (null or "function")
                || !tool.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object)
                throw ApiException.BadRequest($"'{where}' must be {{\"type\": \"function\", \"function\": {{...}}}}.", "tools");
            var name = JsonFields.String(function, "name");
            if (string.IsNullOrEmpty(name))
                throw ApiException.BadRequest($"'{where}.function.name' is required.", "tools");
            var parameters = function.TryGetProperty("parameters", out var p) && p.ValueKind == JsonValueKind.Object
                ? p.Clone()
                : JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement.Clone();
            definitions.Add(new ToolDefinition(name, parameters));
            var asTemplate = (Dictionary<string, object?>)JinjaJson.FromJson(tool)!;
            asTemplate["type"] = "function";
            templateTools.Add(asTemplate);
        }
        if (definitions.Count == 0)
            return null;

        var choice = ParseChoice(body, definitions);
        var parallel = JsonFields.Bool(body, "parallel_tool_calls") ?? true;
        return new ToolSession(definitions, templateTools, choice, parallel, ToolCallFormats.Detect(templateSource));
    }

    private static ToolChoice ParseChoice(JsonElement body, List<ToolDefinition> definitions)
    {
        if (!JsonFields.TryGet(body, "tool_choice", out var choice))
            return ToolChoice.Auto;
        if (choice.ValueKind == JsonValueKind.String)
        {
            return choice.GetString() switch
            {
                "auto" => ToolChoice.Auto,
                "none" => ToolChoice.None,
                "required" => ToolChoice.Required,
                var other => throw ApiException.BadRequest($"'tool_choice' must be 'auto', 'none', 'required' or a named function, not '{other}'.", "tool_choice"),
            };
        }
        var name = choice.ValueKind == JsonValueKind.Object && choice.TryGetProperty("function", out var f) && f.ValueKind == JsonValueKind.Object
            ? JsonFields.String(f, "name")
            : null;
        if (name is null)
            throw ApiException.BadRequest("'tool_choice' must be a string or {\"type\": \"function\", \"function\": {\"name\": ...}}.", "tool_choice");
        if (definitions.All(d => d.Name != name))
            throw ApiException.BadRequest($"'tool_choice' names the function '{name}', which is not in 'tools'.", "tool_choice");
        return new ToolChoice("function", name);
    }

    /// <summary>For templates that never render tools: the tools and the call format go into the system message.</summary>
    public static List<object?> WithToolsInSystemMessage(List<object?> messages, ToolSession session)
    {
        var description = "# Tools\n\nYou may call one or more functions to assist with the user query. The functions are:\n"
            + string.Join("\n", session.TemplateTools.Select(t => JinjaJson.Dumps(t)))
            + "\n\nTo call a function, reply with <tool_call>\n{\"name\": <function-name>, \"arguments\": <args-json-object>}\n</tool_call>";
        var copy = new List<object?>(messages);
        if (copy.Count > 0 && copy[0] is Dictionary<string, object?> first && first.GetValueOrDefault("role") as string == "system")
        {
            copy[0] = new Dictionary<string, object?>(first, StringComparer.Ordinal) { ["content"] = JinjaValues.ToText(first["content"]) + "\n\n" + description };
        }
        else
        {
            copy.Insert(0, new Dictionary<string, object?>(StringComparer.Ordinal) { ["role"] = "system", ["content"] = description });
        }
        return copy;
    }
}
