using System.Collections.Immutable;

namespace ModelSwap.Core.Catalog;

/// <summary>A user's settings for one generated model, kept in models.yaml across regenerations.</summary>
public sealed record ModelOverride
{
    public int? ContextSize { get; init; }
    public int? GpuLayers { get; init; }
    public ImmutableArray<string> ExtraArgs { get; init; } = [];
    public TimeSpan? Ttl { get; init; }
    /// <summary>User aliases: they win over the automatic OpenAI aliases.</summary>
    public ImmutableArray<string> Aliases { get; init; } = [];
    public bool Disabled { get; init; }
    /// <summary>A model (name or alias) that drafts for this one: llama-server's speculative decoding (<c>-md</c>).</summary>
    public string? Draft { get; init; }
}
