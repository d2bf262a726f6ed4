using System.Collections.Immutable;
using ModelSwap.Core.Configuration;

namespace ModelSwap.Gateway.Tests.Swapping;

/// <summary>Builds in-memory configurations for swapping tests (what the YAML loader would produce).</summary>
internal static class TestConfigs
{
    public static ModelConfig Model(string id, int port = 6000, TimeSpan? ttl = null, int concurrencyLimit = 0, string extraArg = "") =>
        new()
        {
            Id = id,
            Command = extraArg.Length == 0 ? ["fake-server", "--name", id] : ["fake-server", "--name", id, extraArg],
            Proxy = new Uri($"http://127.0.0.1:{port}"),
            Port = port,
            Ttl = ttl,
            ConcurrencyLimit = concurrencyLimit,
        };

    public static GroupConfig Group(string id, bool swap, bool exclusive, bool persistent, params string[] members) =>
        new() { Id = id, Swap = swap, Exclusive = exclusive, Persistent = persistent, Members = [.. members] };

    public static ModelSwapConfig Config(IEnumerable<ModelConfig> models, IEnumerable<GroupConfig>? groups = null, TimeSpan? globalTtl = null)
    {
        var byId = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, models.Select(m => KeyValuePair.Create(m.Id, m)));
        var groupsById = ImmutableSortedDictionary.CreateRange(StringComparer.Ordinal, (groups ?? []).Select(g => KeyValuePair.Create(g.Id, g)));
        var names = ImmutableDictionary.CreateRange(StringComparer.Ordinal, byId.Keys.Select(id => KeyValuePair.Create(id, id)));
        return new ModelSwapConfig
        {
            Models = byId,
            Groups = groupsById,
            ModelIdsByName = names,
            GlobalTtl = globalTtl ?? TimeSpan.Zero,
        };
    }

    /// <summary>Models with ids as given, ports counting up from 6000, no TTL.</summary>
    public static ModelSwapConfig Config(string[] modelIds, params GroupConfig[] groups) =>
        Config(modelIds.Select((id, i) => Model(id, 6000 + i)), groups);
}
