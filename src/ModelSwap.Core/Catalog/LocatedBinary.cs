namespace ModelSwap.Core.Catalog;

/// <summary>A binary that exists, is executable and answered <c>--version</c>.</summary>
/// <param name="Version">What it reported, e.g. <c>4589 (1d1e6a90)</c>; <c>unknown</c> when it printed nothing.</param>
public sealed record LocatedBinary(string Path, string Version, BinarySource Source)
{
    /// <summary>The GPU devices the build can use (see <see cref="GpuDetection"/>); empty for a CPU build.</summary>
    public IReadOnlyList<string> GpuDevices { get; init; } = [];

    public bool HasGpu => GpuDevices.Count > 0;

    /// <summary>
    /// Its <c>--help</c> lists <c>--spec-type</c>: such builds (llama.cpp v0.5.0 on) load a draft
    /// model with <c>-md</c> but draft with it only when <c>--spec-type draft-simple</c> says so.
    /// </summary>
    public bool HasSpecType { get; init; }
}
