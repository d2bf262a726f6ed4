using System.Text;

namespace ModelSwap.Cli.Chat;

/// <summary>
/// Reads what the user types: one line, or several between <c>"""</c> marks (Ollama's multi-line input).
/// The prompt goes to stderr, so stdout carries only the answers.
/// </summary>
internal sealed class ChatInput(TextReader input, TextWriter prompt)
{
    private const string Fence = "\"\"\"";

    /// <summary>The next message or command; null at end of input (Ctrl+D).</summary>
    public string? Read()
    {
        prompt.Write(">>> ");
        prompt.Flush();
        var line = input.ReadLine();
        if (line is null || !line.TrimStart().StartsWith(Fence, StringComparison.Ordinal))
        {
            return line;
        }
        var text = new StringBuilder(line.TrimStart()[Fence.Length..]);
        if (EndsFence(text))
        {
            return text.ToString();
        }
        while (true)
        {
            prompt.Write("... ");
            prompt.Flush();
            var next = input.ReadLine();
            if (next is null)
            {
                return text.ToString();
            }
            text.Append('\n').Append(next);
            if (EndsFence(text))
            {
                return text.ToString();
            }
        }
    }

    private static bool EndsFence(StringBuilder text)
    {
        var value = text.ToString().TrimEnd();
        if (!value.EndsWith(Fence, StringComparison.Ordinal))
        {
            return false;
        }
        text.Clear().Append(value[..^Fence.Length]);
        return true;
    }
}
