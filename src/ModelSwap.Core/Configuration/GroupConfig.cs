using System.Collections.Immutable;

namespace ModelSwap.Core.Configuration;

/// <summary>
/// A swap group (llama-swap semantics). <c>swap</c>: only one member runs at a time.
/// <c>exclusive</c>: starting a member stops every other non-persistent group.
/// <c>persistent</c>: other groups never stop this group's members.
/// </summary>
public sealed record GroupConfig
{
    /// <summary>Id of the implicit group of models that belong to no group.</summary>
    public const string DefaultGroupId = "(default)";

    public required string Id { get; init; }
    public bool Swap { get; init; } = true;
    public bool Exclusive { get; init; } = true;
    public bool Persistent { get; init; }
    public ImmutableArray<string> Members { get; init; } = [];

    /// <summary>Models in no group behave as one group with swap and exclusive on.</summary>
    public static GroupConfig DefaultFor(IEnumerable<string> members) =>
        new() { Id = DefaultGroupId, Swap = true, Exclusive = true, Persistent = false, Members = [.. members] };
}
