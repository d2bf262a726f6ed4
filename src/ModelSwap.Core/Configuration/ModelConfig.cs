using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace ModelSwap.Core.Configuration;

/// <summary>One entry of <c>models:</c>, with macros expanded and the command split into arguments.</summary>
public sealed record ModelConfig
{
    public required string Id { get; init; }
    /// <summary>Program and arguments, split by POSIX shell rules; run with no shell.</summary>
    public required ImmutableArray<string> Command { get; init; }
    /// <summary>cmdStop split into arguments, with <c>${PID}</c> still to be substituted; empty when unset.</summary>
    public ImmutableArray<string> StopCommand { get; init; } = [];
    /// <summary>Base URL requests are forwarded to.</summary>
    public required Uri Proxy { get; init; }
    /// <summary>The port assigned to <c>${PORT}</c>, when the model uses it.</summary>
    public int? Port { get; init; }
    public ImmutableArray<string> Aliases { get; init; } = [];
    /// <summary>Extra environment for the process, in file order.</summary>
    public ImmutableArray<KeyValuePair<string, string>> Environment { get; init; } = [];
    /// <summary>Path polled for readiness; null when <c>checkEndpoint: none</c>.</summary>
    public string? CheckEndpoint { get; init; } = "/health";
    /// <summary>Own TTL; null means "use globalTTL"; zero means never unload.</summary>
    public TimeSpan? Ttl { get; init; }
    /// <summary>Graceful stop time before the process tree is killed.</summary>
    public TimeSpan UnloadTimeout { get; init; } = ModelSwapConfig.DefaultUnloadTimeout;
    /// <summary>How long a start may take before it fails (healthCheckTimeout).</summary>
    public TimeSpan HealthCheckTimeout { get; init; } = ModelSwapConfig.DefaultHealthCheckTimeout;
    public bool Unlisted { get; init; }
    public string? UseModelName { get; init; }
    public string? Name { get; init; }
    public string? Description { get; init; }
    /// <summary>Arbitrary metadata shown in /v1/models, macros expanded, types kept.</summary>
    public JsonObject? Metadata { get; init; }
    /// <summary>Most requests in flight at once; 0 means no limit.</summary>
    public int ConcurrencyLimit { get; init; }
    public ModelFilters Filters { get; init; } = ModelFilters.None;
    /// <summary>Timeouts of the connection to the model's server (<c>timeouts:</c>).</summary>
    public UpstreamTimeouts Timeouts { get; init; } = UpstreamTimeouts.Default;

    /// <summary>
    /// A canonical text of everything that affects how the process runs, so a reload restarts a model
    /// only when this changes (records over ImmutableArray compare arrays by reference).
    /// </summary>
    public string RuntimeFingerprint => string.Join('\u001f',
        string.Join('\u001e', Command), string.Join('\u001e', StopCommand), Proxy.ToString(),
        string.Join('\u001e', Environment.Select(e => e.Key + "=" + e.Value)), CheckEndpoint ?? "<none>");
}
