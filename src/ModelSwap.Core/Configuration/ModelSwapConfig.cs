using System.Collections.Immutable;

namespace ModelSwap.Core.Configuration;

/// <summary>
/// A loaded, validated, macro-expanded configuration (llama-swap's config.yaml). Immutable: a reload
/// produces a new instance, and <see cref="ConfigDiff"/> tells which models changed.
/// </summary>
public sealed record ModelSwapConfig
{
    public static readonly TimeSpan DefaultHealthCheckTimeout = TimeSpan.FromSeconds(120);
    public static readonly TimeSpan DefaultUnloadTimeout = TimeSpan.FromSeconds(10);
    public const int DefaultStartPort = 5800;

    public TimeSpan HealthCheckTimeout { get; init; } = DefaultHealthCheckTimeout;
    public string LogLevel { get; init; } = "info";
    public int StartPort { get; init; } = DefaultStartPort;
    /// <summary>TTL for models whose own ttl is unset. Zero means never unload.</summary>
    public TimeSpan GlobalTtl { get; init; } = TimeSpan.Zero;
    public TimeSpan UnloadTimeout { get; init; } = DefaultUnloadTimeout;
    /// <summary>
    /// swapWaitTimeout: how long a swap waits for the requests in flight on the models it must stop;
    /// then those requests are ended with an error (503 swap_timeout). Zero waits for ever.
    /// </summary>
    public TimeSpan SwapWaitTimeout { get; init; } = DefaultSwapWaitTimeout;
    public static readonly TimeSpan DefaultSwapWaitTimeout = TimeSpan.FromSeconds(120);
    /// <summary>Models by id, sorted by id (ordinal).</summary>
    public ImmutableSortedDictionary<string, ModelConfig> Models { get; init; } =
        ImmutableSortedDictionary.Create<string, ModelConfig>(StringComparer.Ordinal);
    public ImmutableSortedDictionary<string, GroupConfig> Groups { get; init; } =
        ImmutableSortedDictionary.Create<string, GroupConfig>(StringComparer.Ordinal);
    /// <summary>hooks.on_startup.preload: model ids to start when the service starts.</summary>
    public ImmutableArray<string> Preload { get; init; } = [];
    /// <summary>apiKeys: when non-empty, inference endpoints require one of them.</summary>
    public ImmutableArray<string> ApiKeys { get; init; } = [];
    public bool IncludeAliasesInList { get; init; }

    /// <summary>Alias (or id) to model id. Built by the loader; ids map to themselves.</summary>
    public ImmutableDictionary<string, string> ModelIdsByName { get; init; } =
        ImmutableDictionary.Create<string, string>(StringComparer.Ordinal);

    /// <summary>Returns the model id a request's model name refers to (an id or an alias), or null.</summary>
    public string? ResolveModelId(string name) =>
        ModelIdsByName.TryGetValue(name, out var id) ? id : null;

    /// <summary>The group a model belongs to: its configured group, or the implicit default group.</summary>
    public GroupConfig GroupOf(string modelId)
    {
        foreach (var group in Groups.Values)
        {
            if (group.Members.Contains(modelId))
            {
                return group;
            }
        }
        return GroupConfig.DefaultFor(Models.Keys.Where(id => !Groups.Values.Any(g => g.Members.Contains(id))));
    }

    /// <summary>TTL that applies to a model: its own, else the global one. Zero means never.</summary>
    public TimeSpan TtlOf(ModelConfig model) => model.Ttl ?? GlobalTtl;
}
