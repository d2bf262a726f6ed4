namespace ModelSwap.Hub.HuggingFace;

/// <summary>
/// One downloadable model in a repo: a single .gguf, or all parts of a split one (ordered by part
/// number). <see cref="Quantization"/> is read from the file name (Q4_K_M, IQ4_XS, F16, …) or null.
/// </summary>
public sealed record GgufVariant(string Name, string? Quantization, IReadOnlyList<HubFile> Files)
{
    public long TotalSize => Files.Sum(f => f.Size);

    public bool IsSplit => Files.Count > 1;

    /// <summary>The file llama.cpp is pointed at (the first part of a split model).</summary>
    public HubFile Primary => Files[0];
}
