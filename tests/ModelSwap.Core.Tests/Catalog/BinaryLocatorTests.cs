using ModelSwap.Core.Catalog;

namespace ModelSwap.Core.Tests.Catalog;

/// <summary>Fake layouts of every platform, with tiny shell scripts standing in for llama-server (so the host must run sh).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class BinaryLocatorTests : IDisposable
{
    private static readonly BinaryPlatform Linux = new("linux", "x64");
    private readonly string _root = Directory.CreateTempSubdirectory("modelswap-locator-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string Dir(string relative) => Directory.CreateDirectory(Path.Combine(_root, relative)).FullName;

    /// <summary>A script that prints llama-server's version banner (on stderr, as llama-server does).</summary>
    private string Fake(string relative, string build = "4589 (1d1e6a90)", string body = "", bool executable = true)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, $"#!/bin/sh\n{body}\necho 'load_backend: loaded CPU backend' >&2\necho 'version: {build}' >&2\necho 'built with cc for x86_64-linux-gnu' >&2\n");
        File.SetUnixFileMode(path, executable ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b110_100_100);
        return path;
    }

    private BinaryLocator Locator(BinaryPlatform? platform = null, string? path = null, string? explicitPath = null, TimeSpan? timeout = null) =>
        new(new BinaryLocatorOptions
        {
            BaseDirectory = Dir("app"),
            PathVariable = path,
            Platform = platform ?? Linux,
            ExplicitPath = explicitPath,
            VersionTimeout = timeout ?? TimeSpan.FromSeconds(10),
        });

    [Fact]
    public async Task ExplicitPathWinsAndItsVersionIsRead()
    {
        var mine = Fake("custom/llama-server", build: "9999 (custom)");
        Fake("app/llama-server");
        var onPath = Path.GetDirectoryName(Fake("bin/llama-server"))!;

        var result = await Locator(path: onPath, explicitPath: mine).LocateAsync();

        Assert.Equal(new LocatedBinary(mine, "9999 (custom)", BinarySource.Explicit), result.Binary);
        Assert.Equal(BinarySource.Explicit, (await Locator(explicitPath: Path.GetDirectoryName(mine)).LocateAsync()).Binary!.Source); // a folder works too
    }

    [Fact]
    public async Task ABrokenExplicitPathIsReportedNotReplaced()
    {
        var onPath = Path.GetDirectoryName(Fake("bin/llama-server"))!;
        var missing = Path.Combine(_root, "nope", "llama-server");

        var result = await Locator(path: onPath, explicitPath: missing).LocateAsync();

        Assert.Null(result.Binary);
        Assert.Contains(missing, Assert.Single(result.Rejected));
    }

    [Fact]
    public async Task BundledBinaryBeatsPathAndTheRootBeatsPlatformFolders()
    {
        var onPath = Path.GetDirectoryName(Fake("bin/llama-server"))!;
        var inFolder = Fake("app/linux-x64/llama-server");
        Assert.Equal(new LocatedBinary(inFolder, "4589 (1d1e6a90)", BinarySource.Bundled), (await Locator(path: onPath).LocateAsync()).Binary);

        var atRoot = Fake("app/llama-server");
        Assert.Equal(atRoot, (await Locator(path: onPath).LocateAsync()).Binary!.Path);
    }

    [Theory]
    [InlineData("linux", "x64", "linux-x64-vulkan", "llama-server")]
    [InlineData("linux", "arm64", "linux-arm64", "llama-server")]
    [InlineData("darwin", "arm64", "darwin-arm64", "llama-server")]
    [InlineData("darwin", "x64", "osx-x64", "llama-server")]
    [InlineData("win32", "x64", "win32-x64-cuda", "llama-server.exe")]
    [InlineData("win32", "arm64", "win-arm64", "llama-server.exe")]
    public async Task EachPlatformFindsOnlyItsOwnFolder(string os, string arch, string expectedFolder, string executable)
    {
        foreach (var folder in new[] { "linux-x64", "linux-x64-vulkan", "linux-arm64", "darwin-arm64", "osx-x64", "win32-x64", "win32-x64-cuda", "win-arm64" })
        {
            Fake($"app/{folder}/{(folder.StartsWith("win", StringComparison.Ordinal) ? "llama-server.exe" : "llama-server")}", build: folder);
        }
        Fake("app/linux-arm64/llama-server.exe", build: "wrong-executable-name");

        var result = await Locator(new BinaryPlatform(os, arch)).LocateAsync();

        Assert.Equal(Path.Combine(_root, "app", expectedFolder, executable), result.Binary!.Path);
        Assert.Equal(expectedFolder, result.Binary.Version);
    }

    [Fact]
    public async Task AnAcceleratedBuildThatCannotRunFallsBackToThePlainBuild()
    {
        Fake("app/linux-x64-cuda/llama-server", body: "echo 'error while loading shared libraries: libcudart.so.12' >&2; exit 127");
        var plain = Fake("app/linux-x64/llama-server", build: "plain");
        Fake("app/linux-x64-avx2/llama-server", build: "avx2");

        var locator = Locator();
        Assert.Equal(
            ["linux-x64-cuda", "linux-x64", "linux-x64-avx2"],
            locator.Candidates().Select(c => Path.GetFileName(Path.GetDirectoryName(c.Path)!)));
        var result = await locator.LocateAsync();

        Assert.Equal(plain, result.Binary!.Path);
        Assert.Contains("exited with code 127: error while loading shared libraries", Assert.Single(result.Rejected));
    }

    [Fact]
    public async Task NonExecutableFilesAreSkippedWithAReason()
    {
        var notExecutable = Fake("app/llama-server", executable: false);
        var onPath = Fake("bin/llama-server");

        var result = await Locator(path: $"{_root}/empty:{Path.GetDirectoryName(onPath)}").LocateAsync();

        Assert.Equal(new LocatedBinary(onPath, "4589 (1d1e6a90)", BinarySource.Path), result.Binary);
        Assert.Equal($"{notExecutable}: not executable (chmod +x it)", Assert.Single(result.Rejected));
    }

    [Fact]
    public async Task ABinaryThatHangsIsKilledAndPassedOver()
    {
        var pidFile = Path.Combine(_root, "hung.pid");
        Fake("app/llama-server", body: $"echo $$ > '{pidFile}'; exec sleep 60");
        var onPath = Fake("bin/llama-server", build: "on-path");

        var result = await Locator(path: Path.GetDirectoryName(onPath), timeout: TimeSpan.FromMilliseconds(300)).LocateAsync();

        Assert.Equal("on-path", result.Binary!.Version);
        Assert.Contains("did not answer --version within 0.3 s", Assert.Single(result.Rejected));
        var pid = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(Directory.Exists($"/proc/{pid}"), $"probe process {pid} is still alive");
    }

    [Fact]
    public async Task PathUsesThePlatformsSeparatorAndNothingFoundIsNotAnError()
    {
        var onPath = Fake("bin/llama-server.exe", build: "windows");
        var windows = await Locator(new BinaryPlatform("win32", "x64"), path: $@"{_root}\missing;{Path.GetDirectoryName(onPath)}").LocateAsync();
        Assert.Equal("windows", windows.Binary!.Version);

        var none = await Locator(path: $"{_root}/missing").LocateAsync();
        Assert.Null(none.Binary);
        Assert.Empty(none.Rejected);
    }

    [Fact]
    public async Task ABinaryThatPrintsNoVersionLineStillCountsWithItsFirstLine()
    {
        var path = Path.Combine(Dir("app"), "llama-server");
        File.WriteAllText(path, "#!/bin/sh\necho 'llama-server b5000'\n");
        File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
        Assert.Equal("llama-server b5000", (await Locator().LocateAsync()).Binary!.Version);
    }
}
