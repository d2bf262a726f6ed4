using System.Text.RegularExpressions;

namespace ModelSwap.Core.Configuration;

/// <summary>
/// How text that must never be read as a macro (file names, environment values) is written into a
/// config: every "${" gets one more "$", so "$${x}" means the literal text "${x}". The rule is by
/// runs: a "{" after one "$" starts a macro; after a run of n ≥ 2 it is literal text with n − 1.
/// Configs without "$$" before "{" (every llama-swap config in practice) read as before.
/// </summary>
internal static partial class MacroEscaping
{
    /// <summary>Text that expands to exactly <paramref name="text"/>.</summary>
    public static string Escape(string text) =>
        text.Contains("${", StringComparison.Ordinal) ? DollarRun().Replace(text, "$$$1{") : text;

    /// <summary>Turns escaped runs back into the literal text, after every macro has been expanded.</summary>
    internal static string Unescape(string text) =>
        text.Contains("$${", StringComparison.Ordinal) ? EscapedRun().Replace(text, "$1{") : text;

    [GeneratedRegex(@"(\$+)\{")]
    private static partial Regex DollarRun();

    [GeneratedRegex(@"\$(\$+)\{")]
    private static partial Regex EscapedRun();
}
