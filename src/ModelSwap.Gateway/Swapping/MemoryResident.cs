namespace ModelSwap.Gateway.Swapping;

/// <summary>
/// A model that holds memory now, as <see cref="MemoryPolicy"/> sees it.
/// <paramref name="Stopping"/>: already on its way out (its memory comes back once it has stopped).
/// <paramref name="Persistent"/>: in a persistent group, never stopped for memory.
/// <paramref name="Wanted"/>: has requests queued for it, so it is about to be served: not stopped for now.
/// </summary>
internal sealed record MemoryResident(string ModelId, MemoryNeed Holds, DateTimeOffset? LastUsed, bool Stopping, bool Persistent, bool Wanted);
