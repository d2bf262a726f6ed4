using YamlDotNet.RepresentationModel;

namespace ModelSwap.Core.Configuration.Loading;

/// <summary>
/// The keys one config section may hold: those ModelSwap reads, and llama-swap keys it knows but
/// does not support (each with a note saying what that means). Anything else is a likely typo.
/// </summary>
internal sealed class KeySet(IReadOnlyList<string> supported, IReadOnlyDictionary<string, string> unsupported)
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
        var hint = Suggestions.Hint(key, supported.Concat(unsupported.Keys));
        diagnostics.Warning(keyNode, path, $"unknown key '{key}' is ignored{hint}");
        return false;
    }
}
