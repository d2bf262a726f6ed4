using System.Text.RegularExpressions;

namespace ModelSwap.Core.Configuration.Loading;

/// <summary>
/// <c>${env.NAME}</c> is replaced before any other macro (as llama-swap does), in every value
/// ModelSwap reads. A variable that is not set is an error naming it.
/// </summary>
internal static partial class EnvSubstitution
{
    public static string Substitute(string text, Func<string, string?> getVariable, List<string> missing)
    {
        if (!text.Contains("${env.", StringComparison.Ordinal))
        {
            return text;
        }
        return EnvMacro().Replace(text, match =>
        {
            var name = match.Groups[1].Value;
            var value = getVariable(name);
            if (value is null)
            {
                if (!missing.Contains(name))
                {
                    missing.Add(name);
                }
                return match.Value;
            }
            // A value is data: a "${…}" inside it is not a macro.
            return MacroEscaping.Escape(value);
        });
    }

    [GeneratedRegex(@"(?<!\$)\$\{env\.([a-zA-Z_][a-zA-Z0-9_]*)\}")]
    private static partial Regex EnvMacro();
}
