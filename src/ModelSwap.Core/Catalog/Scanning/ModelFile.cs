namespace ModelSwap.Core.Catalog.Scanning;

/// <summary>A <c>.gguf</c> file the walker found, with the size and time of what it points to.</summary>
/// <param name="Path">The path as found under a models folder (a link keeps its own name).</param>
/// <param name="RealPath">The path with every link resolved: one file reached twice is one model.</param>
internal sealed record ModelFile(string Path, string RealPath, long Length, DateTimeOffset LastWrite)
{
    public string Directory => System.IO.Path.GetDirectoryName(Path) ?? "";

    public string Name => System.IO.Path.GetFileName(Path);
}
