using YamlDotNet.RepresentationModel;

namespace ModelSwap.Core.Configuration.Loading;

/// <summary>
/// The keys one config section may hold: those ModelSwap reads, and llama-swap keys it knows but
/// does not support (each with a note saying what that means). Anything else is a likely typo.
/// </summary>
internal sealed class KeySet(IReadOnlyList<string> supported, IReadOnlyDictionary<string, string> unsupported,
    IReadOnlyList<string>? security = null)
{
    public IReadOnlyList<string> Supported => supported;

    public IReadOnlyDictionary<string, string> Unsupported => unsupported;

    /// <summary>True for a supported key; otherwise warns (never fails) and returns false.</summary>
    public bool Admit(string key, YamlNode keyNode, string path, DiagnosticBag diagnostics)
    {
        if (supported.Contains(key))
        {
            return true;
        }
        if (unsupported.TryGetValue(key, out var note))
        {
            diagnostics.Warning(keyNode, path, $"'{key}' is a llama-swap setting ModelSwap does not support; it is ignored{note}");
            return false;
        }
        // A misspelt security setting (apiKey, api_keys) would silently leave the service open: an error.
        if (security is not null && SecurityLookalike(key, security) is { } meant)
        {
            diagnostics.Error(keyNode, path,
                $"unknown key '{key}' looks like the security setting '{meant}'; spell it '{meant}' (a misspelt security setting would leave the service unprotected)");
            return false;
        }
        var hint = Suggestions.Hint(key, supported.Concat(unsupported.Keys));
        diagnostics.Warning(keyNode, path, $"unknown key '{key}' is ignored{hint}");
        return false;
    }

    private static string? SecurityLookalike(string key, IReadOnlyList<string> security)
    {
        var bare = Bare(key);
        return security.FirstOrDefault(s => Bare(s) == bare || Bare(s) == bare + "s" || Bare(s) + "s" == bare)
            ?? Suggestions.Closest(key, security);
    }

    private static string Bare(string key) =>
        new([.. key.Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant)]);
}
