namespace ModelSwap.Hub.Store;

/// <summary>What a delete removed, and the shared files it left because another model still uses them.</summary>
public sealed record DeleteResult(IReadOnlyList<string> DeletedFiles, IReadOnlyList<string> KeptFiles);
