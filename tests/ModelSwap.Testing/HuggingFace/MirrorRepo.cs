using System.Collections.Concurrent;

namespace ModelSwap.Testing.HuggingFace;

/// <summary>A model repo on the mirror: the search fields the Hub returns, its files, and its gate.</summary>
public sealed class MirrorRepo
{
    private readonly ConcurrentDictionary<string, MirrorFile> _files = new(StringComparer.Ordinal);

    public MirrorRepo(string id)
    {
        Id = id;
    }

    public string Id { get; }

    public string Author => Id[..Id.IndexOf('/')];

    public long Downloads { get; set; }

    public long Likes { get; set; }

    public double TrendingScore { get; set; }

    public DateTimeOffset LastModified { get; set; } = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public DateTimeOffset CreatedAt { get; set; } = new(2024, 6, 1, 0, 0, 0, TimeSpan.Zero);

    public List<string> Tags { get; } = ["gguf", "text-generation"];

    /// <summary>"auto" or "manual" for a gated repo; null for an open one.</summary>
    public string? Gated { get; set; }

    /// <summary>When set, the tree and resolve endpoints want "Authorization: Bearer {token}".</summary>
    public string? RequiredToken { get; set; }

    public string Commit { get; set; } = "0123456789abcdef0123456789abcdef01234567";

    public IReadOnlyList<MirrorFile> Files => _files.Values.OrderBy(f => f.Path, StringComparer.Ordinal).ToList();

    public MirrorFile AddFile(MirrorFile file)
    {
        _files[file.Path] = file;
        return file;
    }

    public MirrorFile AddFile(string path, byte[] content, bool lfs = true) => AddFile(MirrorFile.FromBytes(path, content, lfs));

    public MirrorFile? Find(string path) => _files.TryGetValue(path, out var file) ? file : null;
}
