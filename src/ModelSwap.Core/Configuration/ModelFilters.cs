using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace ModelSwap.Core.Configuration;

/// <summary><c>filters:</c> of a model: request body parameters removed or forced.</summary>
public sealed record ModelFilters
{
    public static readonly ModelFilters None = new();

    /// <summary>Top-level JSON keys removed from the request body (never <c>model</c>).</summary>
    public ImmutableArray<string> StripParams { get; init; } = [];
    /// <summary>Top-level JSON keys set on the request body (never <c>model</c>).</summary>
    public JsonObject? SetParams { get; init; }

    public bool IsEmpty => StripParams.IsDefaultOrEmpty && (SetParams is null || SetParams.Count == 0);
}
