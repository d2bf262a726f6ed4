using ModelSwap.Core.Configuration;

namespace ModelSwap.Gateway.Translation;

/// <summary>
/// Ollama clients name models as <c>family:tag</c> and add <c>:latest</c> when there is no tag; the
/// same names and aliases as everywhere resolve, with or without that <c>:latest</c>.
/// </summary>
internal static class OllamaModelNames
{
    public const string LatestTag = ":latest";

    public static string? Resolve(ModelSwapConfig config, string name)
    {
        if (config.ResolveModelId(name) is { } id)
        {
            return id;
        }
        if (name.EndsWith(LatestTag, StringComparison.Ordinal))
        {
            return config.ResolveModelId(name[..^LatestTag.Length]);
        }
        return name.Contains(':', StringComparison.Ordinal) ? null : config.ResolveModelId(name + LatestTag);
    }

    /// <summary>The name shown to Ollama clients: the model id, with <c>:latest</c> when it has no tag.</summary>
    public static string Display(string modelId) =>
        modelId.Contains(':', StringComparison.Ordinal) ? modelId : modelId + LatestTag;
}
