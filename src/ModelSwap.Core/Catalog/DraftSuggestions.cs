using ModelSwap.Core.Catalog.Gguf;

namespace ModelSwap.Core.Catalog;

/// <summary>
/// Which models could draft for a model in speculative decoding: a smaller chat model of the same
/// family (architecture, or name before the <c>:</c>) whose vocabulary is the target's, token for
/// token, since llama-server accepts a draft only when the two tokenizers agree. Same-named family
/// first, then smallest first (a draft pays off by being much faster than its target).
/// </summary>
public static class DraftSuggestions
{
    private const string TokensKey = "tokenizer.ggml.tokens";

    /// <param name="readTokens">Reads a model file's vocabulary; the default reads its GGUF header. Null from it means unreadable.</param>
    public static IReadOnlyList<DiscoveredModel> For(DiscoveredModel target, IEnumerable<DiscoveredModel> models,
        Func<string, IReadOnlyList<string>?>? readTokens = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(models);
        if (target.IsEmbedding || target.Tokenizer is null || target.ParameterCount is not { } size)
        {
            return [];
        }
        readTokens ??= ReadTokens;
        var candidates = models
            .Where(m => m.Name != target.Name && !m.IsEmbedding && m.ParameterCount < size)
            .Where(m => m.Tokenizer == target.Tokenizer)
            .Where(m => m.Architecture == target.Architecture || Family(m) == Family(target))
            .OrderByDescending(m => Family(m) == Family(target))
            .ThenBy(m => m.ParameterCount)
            .ThenBy(m => m.Name, StringComparer.Ordinal)
            .ToList();
        if (candidates.Count == 0 || readTokens(target.Path) is not { } vocabulary)
        {
            return [];
        }
        return [.. candidates.Where(m => readTokens(m.Path) is { } other && other.SequenceEqual(vocabulary, StringComparer.Ordinal))];
    }

    private static string Family(DiscoveredModel model) => model.Name.Split(':')[0];

    private static IReadOnlyList<string>? ReadTokens(string path)
    {
        try
        {
            return GgufReader.Read(path).GetStringArray(TokensKey);
        }
        catch (Exception ex) when (ex is GgufFormatException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
