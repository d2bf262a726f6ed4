using System.Text.RegularExpressions;
using ModelSwap.Engine.Hosting;
using ModelSwap.Engine.Tests.Support;

namespace ModelSwap.Engine.Tests.Hosting;

/// <summary>When the engine refuses a folder of llama.cpp libraries built for this CPU (it then runs LLamaSharp's prebuilt ones).</summary>
public sealed partial class NativeLibrariesTests : IDisposable
{
    private const string Flags = "flags\t\t: fpu sse2 avx2";
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("modelswap-natives-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void AbiTagIsTheLLamaSharpVersionThePackagesPin()
    {
        // The patch and the struct layouts belong to one LLamaSharp: a bump must come with a new patch.
        var props = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "Directory.Packages.props"));
        var version = PinnedLLamaSharp().Match(props).Groups[1].Value;
        Assert.Equal(NativeLibraries.AbiTag, $"LLamaSharp {version}");
        Assert.True(File.Exists(Path.Combine(RepositoryPaths.Root, "scripts", $"llamasharp-{version}-abi.patch")));
    }

    [Fact]
    public void MissingFolderIsRefused() =>
        Assert.Equal("no such folder", NativeLibraries.Problem(Path.Combine(_dir.FullName, "nope"), Flags));

    [Fact]
    public void MissingLibraryIsRefused()
    {
        Write("libllama.so", "");
        Assert.Equal("libmtmd.so is missing", NativeLibraries.Problem(_dir.FullName, Flags));
    }

    [Fact]
    public void BuildForAnotherLLamaSharpIsRefused()
    {
        WriteLibraries();
        Write("abi", "LLamaSharp 0.29.0\n");
        Write("cpu-flags", Flags + "\n");
        Assert.Contains("built for LLamaSharp 0.29.0", NativeLibraries.Problem(_dir.FullName, Flags), StringComparison.Ordinal);
    }

    [Fact]
    public void FolderWithoutAbiFileIsRefused()
    {
        WriteLibraries();
        Assert.Contains("no abi file", NativeLibraries.Problem(_dir.FullName, Flags), StringComparison.Ordinal);
    }

    [Fact]
    public void BuildForAnotherCpuIsRefused()
    {
        WriteLibraries();
        Write("abi", NativeLibraries.AbiTag + "\n");
        Write("cpu-flags", "flags\t\t: fpu sse2 avx2 avx512f\n");
        Assert.Contains("other instruction sets", NativeLibraries.Problem(_dir.FullName, Flags), StringComparison.Ordinal);
        Assert.Contains("other instruction sets", NativeLibraries.Problem(_dir.FullName, cpuFlags: null), StringComparison.Ordinal);
    }

    [Fact]
    public void LibraryTheLoaderRefusesIsRefused()
    {
        WriteLibraries();
        Write("abi", NativeLibraries.AbiTag + "\n");
        Write("cpu-flags", Flags + "\n");
        Assert.Contains("dynamic loader refused", NativeLibraries.Problem(_dir.FullName, Flags), StringComparison.Ordinal);
    }

    [Fact]
    public void CpuFlagsAreThisMachinesFeatureLine()
    {
        var flags = NativeLibraries.CpuFlags();
        Assert.NotNull(flags);
        Assert.StartsWith("flags", flags, StringComparison.Ordinal);
    }

    private void WriteLibraries()
    {
        // Not ELF files: everything but the loader's own check passes on them.
        Write("libllama.so", "not a library");
        Write("libmtmd.so", "not a library");
    }

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(_dir.FullName, name), text);

    [GeneratedRegex("\"LLamaSharp\" Version=\"([^\"]+)\"")]
    private static partial Regex PinnedLLamaSharp();
}
