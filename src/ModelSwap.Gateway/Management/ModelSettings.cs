namespace ModelSwap.Gateway.Management;

/// <summary>
/// The settings of one generated model that models.yaml keeps (the body of
/// <c>PUT /api/config/models/{id}/settings</c>). A null value is the default: the key is removed from
/// models.yaml.
/// </summary>
/// <param name="ContextSize">Tokens of context (<c>ctx-size</c>); null: auto, the largest that fits the memory budget.</param>
/// <param name="GpuLayers">Layers offloaded to the GPU (<c>gpuLayers</c>, llama-server's <c>-ngl</c>); null: the generator's default.</param>
/// <param name="TtlSeconds">Seconds idle before it unloads (<c>ttl</c>, 0 never); null: the default.</param>
/// <param name="Aliases">More names it answers to (they win over the automatic OpenAI aliases).</param>
/// <param name="ExtraArgs">Arguments added to its server's command line.</param>
/// <param name="Disabled">Not served (its file stays).</param>
/// <param name="Draft">The smaller model (its name in the models folders) that drafts for it in speculative decoding (<c>draft</c>); null: none.</param>
public sealed record ModelSettings(
    int? ContextSize = null,
    int? GpuLayers = null,
    long? TtlSeconds = null,
    IReadOnlyList<string>? Aliases = null,
    IReadOnlyList<string>? ExtraArgs = null,
    bool Disabled = false,
    string? Draft = null);
