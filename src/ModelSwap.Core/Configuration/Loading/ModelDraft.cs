using YamlDotNet.RepresentationModel;

namespace ModelSwap.Core.Configuration.Loading;

/// <summary>
/// One model's settings as read from YAML, before macros and ports: text fields keep their line and
/// path so errors found after expansion still point at the right place.
/// </summary>
internal sealed class ModelDraft
{
    public required string Id { get; init; }
    public required int Line { get; init; }
    public required string Path { get; init; }
    public Scalar? Cmd { get; set; }
    /// <summary>Whether the model has a cmd key at all (a bad one is reported where it is read).</summary>
    public bool HasCmdKey { get; set; }
    public Scalar? CmdStop { get; set; }
    public Scalar? Proxy { get; set; }
    public Scalar? CheckEndpoint { get; set; }
    public Scalar? UseModelName { get; set; }
    public Scalar? Name { get; set; }
    public Scalar? Description { get; set; }
    public Scalar? StripParams { get; set; }
    public List<Scalar> Env { get; } = [];
    public List<Scalar> Aliases { get; } = [];
    public long? TtlSeconds { get; set; }
    public long? UnloadTimeoutSeconds { get; set; }
    public bool Unlisted { get; set; }
    public long ConcurrencyLimit { get; set; }
    public (YamlMappingNode Node, string Path)? Metadata { get; set; }
    public (YamlMappingNode Node, string Path)? SetParams { get; set; }
    public List<MacroDefinition> Macros { get; set; } = [];
    public UpstreamTimeouts Timeouts { get; set; } = UpstreamTimeouts.Default;
    /// <summary>setParamsByID keys: llama-swap makes them aliases; ModelSwap only names them in warnings.</summary>
    public List<string> SetParamsByIdKeys { get; } = [];
}
