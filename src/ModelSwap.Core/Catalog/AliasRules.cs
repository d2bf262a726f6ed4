namespace ModelSwap.Core.Catalog;

/// <summary>
/// Gives OpenAI model names to local models, so clients written for OpenAI work unchanged.
/// <list type="table">
/// <item><term><c>gpt-3.5-turbo</c></term><description>an instruct/chat model of at most 1.5B parameters</description></item>
/// <item><term><c>gpt-4</c></term><description>an instruct/chat model of at least 4B parameters</description></item>
/// <item><term><c>text-davinci-003</c></term><description>any instruct/chat model</description></item>
/// <item><term><c>text-embedding-ada-002</c>, <c>text-embedding-3-small</c></term><description>an embedding model (not a reranker)</description></item>
/// <item><term><c>rerank-v3.5</c>, <c>rerank-english-v3.0</c></term><description>a reranker (Cohere's names, which rerank clients default to)</description></item>
/// </list>
/// Sizes are compared after rounding to 0.1B, as model cards do (Qwen2.5-1.5B has 1.54B parameters
/// and is small; Gemma 3 4B has 3.88B and is not large). Each alias goes to exactly one model: of
/// the models that qualify, the most recently added, ties broken by name (ordinal). A user alias
/// always wins: an alias the user gave to any model leaves the automatic pool, and no automatic
/// alias is given that equals a model's own name. Pure: same input, same answer.
/// </summary>
internal static class AliasRules
{
    public const string SmallChat = "gpt-3.5-turbo";
    public const string LargeChat = "gpt-4";
    public const string Instruct = "text-davinci-003";
    public const string EmbeddingAda = "text-embedding-ada-002";
    public const string EmbeddingSmall = "text-embedding-3-small";
    public const string Rerank = "rerank-v3.5";
    public const string RerankEnglish = "rerank-english-v3.0";

    /// <summary>Tenths of a billion: 15 is 1.5B, 40 is 4B.</summary>
    private const long SmallChatMaxTenths = 15;
    private const long LargeChatMinTenths = 40;

    /// <summary>Every automatic alias, in the order they are listed on a model.</summary>
    public static IReadOnlyList<string> AutomaticAliases { get; } = [SmallChat, LargeChat, Instruct, EmbeddingAda, EmbeddingSmall, Rerank, RerankEnglish];

    /// <summary>
    /// Every model's aliases: its user aliases first (as given), then the automatic ones it won, in
    /// <see cref="AutomaticAliases"/> order. Every model appears in the result, possibly with none.
    /// </summary>
    /// <param name="userAliases">Aliases from the user's overrides, by model name.</param>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Assign(
        IEnumerable<AliasCandidate> models,
        IReadOnlyDictionary<string, IReadOnlyList<string>>? userAliases = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        var candidates = models.DistinctBy(m => m.Name, StringComparer.Ordinal).ToList();
        userAliases ??= new Dictionary<string, IReadOnlyList<string>>();
        var result = candidates.ToDictionary(
            m => m.Name,
            m => userAliases.TryGetValue(m.Name, out var mine) ? mine.Distinct(StringComparer.Ordinal).ToList() : [],
            StringComparer.Ordinal);

        var unavailable = new HashSet<string>(userAliases.Values.SelectMany(a => a), StringComparer.Ordinal);
        unavailable.UnionWith(candidates.Select(m => m.Name));
        foreach (var alias in AutomaticAliases.Where(a => !unavailable.Contains(a)))
        {
            var winner = candidates
                .Where(m => Qualifies(m, alias))
                .OrderByDescending(m => m.AddedAt)
                .ThenBy(m => m.Name, StringComparer.Ordinal)
                .FirstOrDefault();
            if (winner is not null)
            {
                result[winner.Name].Add(alias);
            }
        }
        return result.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value, StringComparer.Ordinal);
    }

    /// <summary>Whether <paramref name="model"/> may carry <paramref name="alias"/>.</summary>
    public static bool Qualifies(AliasCandidate model, string alias)
    {
        ArgumentNullException.ThrowIfNull(model);
        var chat = model.IsInstruct && !model.IsEmbedding && !model.IsReranker;
        return alias switch
        {
            SmallChat => chat && Tenths(model) is <= SmallChatMaxTenths,
            LargeChat => chat && Tenths(model) is >= LargeChatMinTenths,
            Instruct => chat,
            EmbeddingAda or EmbeddingSmall => model.IsEmbedding && !model.IsReranker,
            Rerank or RerankEnglish => model.IsReranker,
            _ => false,
        };
    }

    private static long? Tenths(AliasCandidate model) =>
        model.ParameterCount is long p && p > 0 ? (long)Math.Round(p / 100_000_000.0, MidpointRounding.AwayFromZero) : null;
}
