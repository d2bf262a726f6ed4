namespace ModelSwap.Gateway.Management;

/// <summary>
/// One downloadable model of a repository: a single .gguf or every part of a split one (in part order).
/// <see cref="Primary"/> is the file a pull names (the first part).
/// </summary>
/// <param name="Quantization">Read from the file name (Q4_K_M, IQ4_XS, F16, …); null when it names none.</param>
public sealed record HubVariantView(string Name, string? Quantization, IReadOnlyList<HubFileView> Files, long TotalSize, bool IsSplit)
{
    public HubFileView Primary => Files[0];

    internal static HubVariantView From(Hub.HuggingFace.GgufVariant v) =>
        new(v.Name, v.Quantization, v.Files.Select(HubFileView.From).ToList(), v.TotalSize, v.IsSplit);
}
