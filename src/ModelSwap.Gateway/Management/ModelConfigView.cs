using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace ModelSwap.Gateway.Management;

/// <summary>What the configuration says about a model.</summary>
/// <param name="Name">Display name (config <c>name</c>).</param>
/// <param name="Group">The swap group it belongs to (<c>(default)</c> for models in no group).</param>
/// <param name="TtlSeconds">Seconds idle before it unloads; 0 never.</param>
/// <param name="Runtime">What runs it: <see cref="ModelRuntimes.LlamaServer"/>, <see cref="ModelRuntimes.Engine"/> or <see cref="ModelRuntimes.Custom"/>.</param>
/// <param name="Command">The command line its server is started with.</param>
/// <param name="Port">The port its server listens on (from <c>proxy</c>).</param>
public sealed record ModelConfigView(
    string? Name,
    string? Description,
    ImmutableArray<string> Aliases,
    string Group,
    long TtlSeconds,
    string Runtime,
    ImmutableArray<string> Command,
    string Proxy,
    int? Port,
    int ConcurrencyLimit,
    JsonObject? Metadata);
