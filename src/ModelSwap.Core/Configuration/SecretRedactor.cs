using System.Text.RegularExpressions;

namespace ModelSwap.Core.Configuration;

/// <summary>
/// Hides secrets wherever configuration or logs are shown (/running, /api/*, logs): values that
/// came from <c>${env.NAME}</c> (shown as that reference again), the gateway's API keys, the
/// arguments of flags such as <c>--api-key</c> or <c>--hf-token</c>, and the values of
/// <c>NAME=value</c> words and env entries whose name says key, token, secret or password.
/// </summary>
public sealed partial class SecretRedactor
{
    public const string Mask = "***";

    /// <summary>Shorter values are too likely to occur by chance (a "1", a "/") to be replaced everywhere.</summary>
    private const int MinSecretLength = 4;

    private readonly (string Value, string Replacement)[] _values;

    public SecretRedactor(ModelSwapConfig config, IEnumerable<string>? extraKeys = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in config.ApiKeys.Concat(extraKeys ?? []))
        {
            values[key] = Mask;
        }
        foreach (var (name, value) in config.EnvironmentValues)
        {
            values.TryAdd(value, "${env." + name + "}");
        }
        // Longest first, so a value that contains another is replaced whole.
        _values = [.. values.Where(v => v.Key.Length >= MinSecretLength).OrderByDescending(v => v.Key.Length).Select(v => (v.Key, v.Value))];
    }

    public static SecretRedactor None { get; } = new(new ModelSwapConfig());

    /// <summary>Free text (a log line, a message) with every known secret value replaced.</summary>
    public string Redact(string text)
    {
        foreach (var (value, replacement) in _values)
        {
            if (text.Contains(value, StringComparison.Ordinal))
            {
                text = text.Replace(value, replacement, StringComparison.Ordinal);
            }
        }
        return SecretAssignment().Replace(SecretFlagInline().Replace(text, "$1" + Mask), "$1" + Mask);
    }

    /// <summary>A command line: secret values and the arguments of secret flags hidden.</summary>
    public IReadOnlyList<string> RedactCommand(IReadOnlyList<string> arguments)
    {
        var result = new string[arguments.Count];
        for (var i = 0; i < arguments.Count; i++)
        {
            result[i] = i > 0 && IsSecretFlag(arguments[i - 1]) ? Mask : Redact(arguments[i]);
        }
        return result;
    }

    /// <summary>An env entry: the value hidden when the name says it is a secret.</summary>
    public string RedactEnvironment(string name, string value) => IsSecretName(name) ? Mask : Redact(value);

    /// <summary>--api-key, --hf-token, --api-key-file is a path (not hidden).</summary>
    public static bool IsSecretFlag(string argument) =>
        argument.StartsWith('-') && !argument.Contains('=') && IsSecretName(argument.TrimStart('-')) && !argument.EndsWith("-file", StringComparison.Ordinal);

    public static bool IsSecretName(string name)
    {
        // "tokens" is a count (--max-tokens), never a secret.
        var upper = name.ToUpperInvariant().Replace('-', '_').Replace("TOKENS", "", StringComparison.Ordinal);
        return upper.Contains("TOKEN", StringComparison.Ordinal) || upper.Contains("SECRET", StringComparison.Ordinal)
            || upper.Contains("PASSWORD", StringComparison.Ordinal) || upper.EndsWith("KEY", StringComparison.Ordinal)
            || upper.Contains("API_KEY", StringComparison.Ordinal) || upper.Contains("_KEY_", StringComparison.Ordinal);
    }

    // NAME=value where NAME says key/token/secret/password (HF_TOKEN=…, OPENAI_API_KEY=…).
    // Upper case only, as environment names are: "n_tokens=12" in a server's log is no secret.
    [GeneratedRegex(@"\b([A-Z0-9_]*(?:TOKEN(?!S)|SECRET|PASSWORD|KEY)[A-Z0-9_]*=)[^\s""']+")]
    private static partial Regex SecretAssignment();

    // --api-key=value, --hf-token value
    [GeneratedRegex(@"(--[A-Za-z0-9-]*(?:token(?!s)|secret|password|api-key|apikey)[A-Za-z0-9-]*(?<!-file)(?:=|\s+))[^\s""'-][^\s""']*", RegexOptions.IgnoreCase)]
    private static partial Regex SecretFlagInline();
}
