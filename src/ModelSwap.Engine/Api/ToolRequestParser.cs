using System.Text.Json;
using ModelSwap.Engine.Templates;
using ModelSwap.Engine.Tools;

namespace ModelSwap.Engine.Api;

/// <summary>Reads `tools`, `tool_choice` and `parallel_tool_calls` of a chat request (OpenAI's shapes).</summary>
internal static class ToolRequestParser
{
    /// <summary>Chat completions: `tools`, `tool_choice`, `parallel_tool_calls`.</summary>
    public static ToolSession? Parse(JsonElement body, string templateSource)
    {
        var session = Parse(body, templateSource, "tools", "tool_choice");
        // A reply read for tool calls is split after generation, so its tokens' logprobs are not
        // recorded: refuse rather than answer `logprobs: null` to a request that asked for them.
        if (session is { Active: true } && JsonFields.TryGet(body, "logprobs", out var logprobs) && logprobs.ValueKind == JsonValueKind.True)
            throw ApiException.BadRequest("'logprobs' with 'tools' offered is not supported by the built-in engine; send tool_choice 'none' or leave out logprobs.", "logprobs");
        return session;
    }

    /// <summary>
    /// Tools in any of the three shapes: chat's {type, function:{name, parameters}}, the Responses
    /// API's flat {type, name, parameters} and Anthropic's {name, input_schema}. Templates always
    /// get chat's shape, which is what they were written for.
    /// </summary>
    public static ToolSession? Parse(JsonElement body, string templateSource, string toolsParam, string choiceParam)
    {
        if (!JsonFields.TryGet(body, toolsParam, out var tools))
            return RefuseForcedChoiceWithoutTools(body, toolsParam, choiceParam);
        if (tools.ValueKind != JsonValueKind.Array)
            throw ApiException.BadRequest($"'{toolsParam}' must be an array, not {JsonFields.Describe(tools.ValueKind)}.", toolsParam);
        var definitions = new List<ToolDefinition>();
        var templateTools = new List<object?>();
        var index = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            var where = $"{toolsParam}[{index++}]";
            if (tool.ValueKind != JsonValueKind.Object || JsonFields.String(tool, "type") is not (null or "function" or "custom"))
                throw ApiException.BadRequest($"'{where}' must be a function tool ({{\"type\": \"function\", ...}}).", toolsParam);
            var function = tool.TryGetProperty("function", out var f) && f.ValueKind == JsonValueKind.Object ? f : tool;
            var name = JsonFields.String(function, "name");
            if (string.IsNullOrEmpty(name))
                throw ApiException.BadRequest($"'{where}' needs a function name.", toolsParam);
            var parameters = function.TryGetProperty("parameters", out var p) && p.ValueKind == JsonValueKind.Object ? p.Clone()
                : function.TryGetProperty("input_schema", out var schema) && schema.ValueKind == JsonValueKind.Object ? schema.Clone()
                : JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement.Clone();
            definitions.Add(new ToolDefinition(name, parameters));
            var asFunction = new Dictionary<string, object?>(StringComparer.Ordinal) { ["name"] = name };
            if (JsonFields.String(function, "description") is { } description)
                asFunction["description"] = description;
            asFunction["parameters"] = JinjaJson.FromJson(parameters);
            templateTools.Add(new Dictionary<string, object?>(StringComparer.Ordinal) { ["type"] = "function", ["function"] = asFunction });
        }
        if (definitions.Count == 0)
            return RefuseForcedChoiceWithoutTools(body, toolsParam, choiceParam);

        var choice = ParseChoice(body, choiceParam, definitions);
        var parallel = JsonFields.Bool(body, "parallel_tool_calls") ?? true;
        if (choiceParam == "tool_choice" && body.TryGetProperty("tool_choice", out var anthropic) && anthropic.ValueKind == JsonValueKind.Object
            && JsonFields.Bool(anthropic, "disable_parallel_tool_use") == true)
            parallel = false;
        return new ToolSession(definitions, templateTools, choice, parallel, ToolCallFormats.Detect(templateSource));
    }

    /// <summary>
    /// A choice that demands a call (required, or a named function) with no tools to call would
    /// otherwise come back as plain text the client did not ask for; OpenAI refuses it too.
    /// </summary>
    private static ToolSession? RefuseForcedChoiceWithoutTools(JsonElement body, string toolsParam, string choiceParam)
    {
        if (!JsonFields.TryGet(body, choiceParam, out var choice))
            return null;
        var forced = choice.ValueKind switch
        {
            JsonValueKind.String => choice.GetString() is "required" or "any" ? $"'{choice.GetString()}'" : null,
            JsonValueKind.Object => JsonFields.String(choice, "type") is "auto" or "none" ? null : "a named function",
            _ => null,
        };
        if (forced is not null)
            throw ApiException.BadRequest($"'{choiceParam}' is {forced}, but the request offers no '{toolsParam}'.", choiceParam);
        return null;
    }

    private static ToolChoice ParseChoice(JsonElement body, string param, List<ToolDefinition> definitions)
    {
        if (!JsonFields.TryGet(body, param, out var choice))
            return ToolChoice.Auto;
        if (choice.ValueKind == JsonValueKind.String)
        {
            return choice.GetString() switch
            {
                "auto" => ToolChoice.Auto,
                "none" => ToolChoice.None,
                "required" or "any" => ToolChoice.Required,
                var other => throw ApiException.BadRequest($"'{param}' must be 'auto', 'none', 'required' or a named function, not '{other}'.", param),
            };
        }
        if (choice.ValueKind != JsonValueKind.Object)
            throw ApiException.BadRequest($"'{param}' must be a string or an object.", param);
        var type = JsonFields.String(choice, "type");
        switch (type)
        {
            case "auto":
                return ToolChoice.Auto;
            case "none":
                return ToolChoice.None;
            case "any" or "required":
                return ToolChoice.Required;
        }
        var name = choice.TryGetProperty("function", out var f) && f.ValueKind == JsonValueKind.Object ? JsonFields.String(f, "name") : JsonFields.String(choice, "name");
        if (name is null)
            throw ApiException.BadRequest($"'{param}' must name a function: {{\"type\": \"function\", \"function\": {{\"name\": ...}}}}.", param);
        if (definitions.All(d => d.Name != name))
            throw ApiException.BadRequest($"'{param}' names the function '{name}', which is not among the tools.", param);
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
