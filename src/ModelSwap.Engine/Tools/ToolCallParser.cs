using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ModelSwap.Engine.Tools;

/// <summary>Reads tool calls out of a finished reply in the family's format; what is left is the reply's content.</summary>
internal static partial class ToolCallParser
{
    private const string IdAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    public static (string Content, List<ParsedToolCall> Calls) Parse(string text, ToolCallFormat format)
    {
        var calls = new List<ParsedToolCall>();
        var content = new StringBuilder();
        switch (format)
        {
            case ToolCallFormat.Mistral:
            {
                var at = text.IndexOf("[TOOL_CALLS]", StringComparison.Ordinal);
                if (at < 0)
                {
                    return (text, calls);
                }
                content.Append(text[..at]);
                var json = ReadJson(text, at + "[TOOL_CALLS]".Length, '[');
                if (json is { } array && array.ValueKind == JsonValueKind.Array)
                {
                    foreach (var item in array.EnumerateArray())
                    {
                        Add(calls, item, "arguments", format);
                    }
                }
                break;
            }
            case ToolCallFormat.Llama3:
            {
                var trimmed = text.Replace("<|python_tag|>", "", StringComparison.Ordinal).TrimStart();
                if (trimmed.StartsWith('{') && ReadJson(trimmed, 0, '{') is { } call && (call.TryGetProperty("parameters", out _) || call.TryGetProperty("arguments", out _)))
                {
                    Add(calls, call, call.TryGetProperty("parameters", out _) ? "parameters" : "arguments", format);
                }
                else
                {
                    content.Append(text);
                }
                break;
            }
            case ToolCallFormat.DeepSeek:
                Collect(DeepSeekCall(), text, content, m => AddIfObject(calls, m.Groups["name"].Value.Trim(), m.Groups["args"].Value, format));
                break;
            case ToolCallFormat.GptOss:
                Collect(GptOssCall(), text, content, m => AddIfObject(calls, m.Groups["name"].Value, m.Groups["args"].Value, format));
                break;
            default:
            {
                var (open, close) = format == ToolCallFormat.Phi4 ? ("<|tool_call|>", "<|/tool_call|>") : ("<tool_call>", "</tool_call>");
                var position = 0;
                while (true)
                {
                    var start = text.IndexOf(open, position, StringComparison.Ordinal);
                    if (start < 0)
                    {
                        content.Append(text[position..]);
                        break;
                    }
                    content.Append(text[position..start]);
                    var end = text.IndexOf(close, start, StringComparison.Ordinal);
                    var inner = end < 0 ? text[(start + open.Length)..] : text[(start + open.Length)..end];
                    if (ReadJson(inner, 0, '{') is { } call)
                    {
                        Add(calls, call, "arguments", format);
                    }
                    position = end < 0 ? text.Length : end + close.Length;
                }
                break;
            }
        }
        return (content.ToString().Trim(), calls);
    }

    private static void Collect(Regex pattern, string text, StringBuilder content, Action<Match> add)
    {
        var position = 0;
        foreach (Match match in pattern.Matches(text))
        {
            content.Append(text, position, match.Index - position);
            add(match);
            position = match.Index + match.Length;
        }
        content.Append(text[position..]);
    }

    private static void Add(List<ParsedToolCall> calls, JsonElement call, string argumentsKey, ToolCallFormat format)
    {
        if (call.ValueKind != JsonValueKind.Object || !call.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String)
        {
            return;
        }
        var arguments = call.TryGetProperty(argumentsKey, out var args)
            ? args.ValueKind == JsonValueKind.String ? args.GetString()! : args.GetRawText()
            : "{}";
        AddIfObject(calls, name.GetString()!, arguments, format);
    }

    /// <summary>
    /// Keeps a call only when its arguments are a JSON object: every API hands them on as one (the
    /// Messages API's tool_use input is an object, clients parse the string), so a call whose model
    /// wrote anything else is unreadable and stays content.
    /// </summary>
    private static void AddIfObject(List<ParsedToolCall> calls, string name, string arguments, ToolCallFormat format)
    {
        try
        {
            using var document = JsonDocument.Parse(arguments);
            if (document.RootElement.ValueKind == JsonValueKind.Object && name.Length > 0)
            {
                calls.Add(new ParsedToolCall(NewId(format), name, document.RootElement.GetRawText()));
            }
        }
        catch (JsonException)
        {
            // Not JSON: not a call.
        }
    }

    /// <summary>The JSON value starting at the first <paramref name="open"/> at or after <paramref name="from"/>, if it is complete.</summary>
    private static JsonElement? ReadJson(string text, int from, char open)
    {
        var start = text.IndexOf(open, from);
        if (start < 0)
        {
            return null;
        }
        var depth = 0;
        var inString = false;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }
                continue;
            }
            if (c == '"')
            {
                inString = true;
            }
            else if (c is '{' or '[')
            {
                depth++;
            }
            else if (c is '}' or ']' && --depth == 0)
            {
                try
                {
                    using var document = JsonDocument.Parse(text[start..(i + 1)]);
                    return document.RootElement.Clone();
                }
                catch (JsonException)
                {
                    return null;
                }
            }
        }
        return null;
    }

    /// <summary>Mistral's template insists on 9 letters and digits; everyone else gets OpenAI's call_ ids.</summary>
    public static string NewId(ToolCallFormat format) => format == ToolCallFormat.Mistral
        ? RandomNumberGenerator.GetString(IdAlphabet, 9)
        : "call_" + RandomNumberGenerator.GetString(IdAlphabet, 24);

    [GeneratedRegex(@"tool▁sep｜>(?<name>[^\n]+)\n```json\n(?<args>.*?)\n```(<｜tool▁call▁end｜>)?", RegexOptions.Singleline)]
    private static partial Regex DeepSeekCall();

    [GeneratedRegex(@"(<\|channel\|>\w+\s*)?to=functions\.(?<name>[\w\-\.]+)[^<]*(<\|constrain\|>\w+)?<\|message\|>(?<args>\{.*?\})\s*<\|call\|>", RegexOptions.Singleline)]
    private static partial Regex GptOssCall();
}
