namespace ModelSwap.Core.Catalog.Scanning;

/// <summary>What <see cref="ModelFileWalker"/> found: files in ordinal path order, the real folders walked, problems.</summary>
internal sealed record WalkResult(IReadOnlyList<ModelFile> Files, IReadOnlyList<string> Directories, IReadOnlyList<string> Warnings);
