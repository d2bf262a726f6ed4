using System.Text.Json;
using ModelSwap.Engine.Grammar;

namespace ModelSwap.Engine.Tools;

/// <summary>
/// The grammar for `tool_choice` required or a named function: the reply is exactly one (or, with
/// parallel_tool_calls, up to four) calls in the family's own syntax, arguments matching each tool's
/// schema, so the output always parses.
/// </summary>
internal static class ToolGrammar
{
    private const int MaxParallelCalls = 4;

    public static string For(ToolSession session)
    {
        var tools = session.Choice.Mode == "function"
            ? session.Definitions.Where(d => d.Name == session.Choice.Function).ToList()
            : session.Definitions.ToList();
        var grammar = JsonSchemaGrammar.Create();
        var argumentsKey = session.Format == ToolCallFormat.Llama3 ? "parameters" : "arguments";
        var alternatives = new List<string>();
        foreach (var (tool, index) in tools.Select((t, i) => (t, i)))
        {
            var arguments = tool.Parameters.ValueKind == JsonValueKind.Object
                ? grammar.Add(tool.Parameters, $"tool-{index}-args", $"tools[{index}].function.parameters")
                : "json-object";
            var name = JsonGrammarPrimitives.Literal(tool.Name);
            alternatives.Add(session.Format switch
            {
                ToolCallFormat.DeepSeek => $"\"<｜tool▁call▁begin｜>function<｜tool▁sep｜>\" {name} \"\\n```json\\n\" {arguments} \"\\n```<｜tool▁call▁end｜>\"",
                ToolCallFormat.GptOss => $"\"<|channel|>commentary to=functions.\" {name} \" <|constrain|>json<|message|>\" {arguments} \"<|call|>\"",
                _ => $"\"{{\\\"name\\\": \\\"\" {name} \"\\\", \\\"{argumentsKey}\\\": \" {arguments} \"}}\"",
            });
        }
        var call = string.Join(" | ", alternatives);
        var more = session.Parallel && session.Format is not (ToolCallFormat.Llama3 or ToolCallFormat.GptOss) ? $"{{0,{MaxParallelCalls - 1}}}" : "{0,0}";
        var root = session.Format switch
        {
            ToolCallFormat.Mistral => $"root ::= \"[TOOL_CALLS][\" call ( \", \" call ){more} \"]\"",
            ToolCallFormat.Phi4 => $"root ::= \"<|tool_call|>\" call \"<|/tool_call|>\" ( \"<|tool_call|>\" call \"<|/tool_call|>\" ){more}",
            ToolCallFormat.DeepSeek => $"root ::= \"<｜tool▁calls▁begin｜>\" call ( \"\\n\" call ){more} \"<｜tool▁calls▁end｜>\"",
            ToolCallFormat.Llama3 or ToolCallFormat.GptOss => "root ::= call",
            _ => $"root ::= \"<tool_call>\\n\" call \"\\n</tool_call>\" ( \"\\n<tool_call>\\n\" call \"\\n</tool_call>\" ){more}",
        };
        return grammar.Build(root + "\ncall ::= " + call);
    }
}
