using System.Security.Cryptography;

namespace ModelSwap.Testing.HuggingFace;

/// <summary>A file the mirror serves, from memory or from a file on disk (for big benchmark files).</summary>
public sealed class MirrorFile
{
    private readonly byte[]? _bytes;
    private readonly string? _sourcePath;

    private MirrorFile(string path, byte[]? bytes, string? sourcePath, long size, string sha256, bool lfs)
    {
        Path = path;
        _bytes = bytes;
        _sourcePath = sourcePath;
        Size = size;
        Sha256 = sha256;
        Lfs = lfs;
    }

    public string Path { get; }

    public long Size { get; }

    /// <summary>The real sha256 of the content (what the listing reports as lfs.oid).</summary>
    public string Sha256 { get; }

    public bool Lfs { get; }

    /// <summary>Git blob id stand-in for the tree's "oid" field (40 hex digits, like the Hub).</summary>
    public string GitOid => Sha256[..40];

    public static MirrorFile FromBytes(string path, byte[] bytes, bool lfs = true) =>
        new(path, bytes, null, bytes.Length, Convert.ToHexStringLower(SHA256.HashData(bytes)), lfs);

    public static MirrorFile FromDisk(string path, string sourcePath)
    {
        using var stream = File.OpenRead(sourcePath);
        var sha = Convert.ToHexStringLower(SHA256.HashData(stream));
        return new MirrorFile(path, null, sourcePath, new FileInfo(sourcePath).Length, sha, lfs: true);
    }

    public Stream Open() => _bytes is not null ? new MemoryStream(_bytes, writable: false) : File.OpenRead(_sourcePath!);

    /// <summary>Deterministic pseudo-random bytes starting with the GGUF magic, so files look like GGUF.</summary>
    public static byte[] RandomGguf(int size, int seed)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        "GGUF"u8.ToArray().AsSpan(0, Math.Min(4, size)).CopyTo(bytes);
        return bytes;
    }

    /// <summary>
    /// A valid GGUF (a header a scanner reads, one F32 tensor of <paramref name="tensorElements"/>
    /// elements of seeded values), for tests where downloaded files must be listed as models.
    /// </summary>
    public static byte[] ValidGguf(int tensorElements, int seed, string architecture = "llama")
    {
        var staged = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"modelswap-mirror-{Guid.NewGuid():N}.gguf");
        try
        {
            SmallGguf.Write(staged, architecture, metadata: [("general.seed", ModelSwap.Core.Catalog.Gguf.GgufValue.UInt32((uint)seed))], tensorElements: tensorElements);
            return File.ReadAllBytes(staged);
        }
        finally
        {
            File.Delete(staged);
        }
    }
}
