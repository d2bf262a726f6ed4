namespace ModelSwap.Core.Catalog;

/// <summary>
/// Finds <c>llama-server</c>. Order: the explicit setting (alone: a configured path that does not
/// work is an error to report, not a reason to run some other binary); then bundled next to the
/// executable, in <c>{base}</c> and <c>{base}/llama.cpp</c>, directly or in a folder for this
/// platform; then PATH. Platform folders are the platform name (<c>linux-x64</c>) or it plus a
/// variant (<c>linux-x64-vulkan</c>, <c>win32-x64-cuda</c>); accelerated variants are tried first
/// (cuda, rocm, hip, vulkan, metal, sycl), then the plain folder, then other variants by name,
/// so a GPU build is used where it runs and the CPU build where it does not. Each candidate must
/// be executable and answer <c>--version</c> within the timeout; the first that does wins, and is
/// then asked which GPUs it can use (<see cref="GpuDetection"/>).
/// Nothing is downloaded; only the probes this class starts are ever killed.
/// </summary>
internal sealed class BinaryLocator
{
    public const string LlamaServer = "llama-server";

    private static readonly string[] AcceleratedVariants = GpuDetection.AcceleratedVariants;
    private readonly BinaryLocatorOptions _options;

    public BinaryLocator(BinaryLocatorOptions? options = null) => _options = options ?? new BinaryLocatorOptions();

    /// <summary>Every path that will be tried, in order, with its source; files that do not exist are left out.</summary>
    public IReadOnlyList<(string Path, BinarySource Source)> Candidates()
    {
        var platform = _options.Platform;
        var executable = platform.ExecutableName(LlamaServer);
        var found = new List<(string, BinarySource)>();
        var seen = new HashSet<string>(platform.IsWindows ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

        void Add(string path, BinarySource source)
        {
            var full = Path.GetFullPath(path);
            if (File.Exists(full) && seen.Add(full))
            {
                found.Add((full, source));
            }
        }

        if (!string.IsNullOrWhiteSpace(_options.ExplicitPath))
        {
            var path = _options.ExplicitPath;
            Add(Directory.Exists(path) ? Path.Combine(path, executable) : path, BinarySource.Explicit);
            return found;
        }
        foreach (var root in new[] { _options.BaseDirectory, Path.Combine(_options.BaseDirectory, "llama.cpp") })
        {
            Add(Path.Combine(root, executable), BinarySource.Bundled);
            foreach (var folder in PlatformFolders(root, platform))
            {
                Add(Path.Combine(folder, executable), BinarySource.Bundled);
            }
        }
        foreach (var directory in (_options.PathVariable ?? "").Split(platform.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            Add(Path.Combine(directory, executable), BinarySource.Path);
        }
        return found;
    }

    /// <summary>Tries the candidates in order; the result says which one works and why the others did not.</summary>
    public async Task<BinarySearchResult> LocateAsync(CancellationToken cancellationToken = default)
    {
        var rejected = new List<string>();
        var candidates = Candidates();
        if (candidates.Count == 0 && !string.IsNullOrWhiteSpace(_options.ExplicitPath))
        {
            rejected.Add($"{_options.ExplicitPath}: configured llama-server path does not exist");
        }
        foreach (var (path, source) in candidates)
        {
            if (!IsExecutable(path))
            {
                rejected.Add($"{path}: not executable (chmod +x it)");
                continue;
            }
            var probe = await VersionProbe.RunAsync(path, _options.VersionTimeout, cancellationToken).ConfigureAwait(false);
            if (probe.Version is { } version)
            {
                var devices = await GpuDetection.DetectAsync(path, _options.VersionTimeout, cancellationToken).ConfigureAwait(false);
                var help = await VersionProbe.RunWithAsync(path, "--help", _options.VersionTimeout, cancellationToken, maxOutputChars: 1 << 20).ConfigureAwait(false);
                var specType = help.Error is null && help.Text.Contains("--spec-type", StringComparison.Ordinal);
                return new BinarySearchResult(new LocatedBinary(path, version, source) { GpuDevices = devices, HasSpecType = specType }, rejected);
            }
            rejected.Add($"{path}: {probe.Error}");
        }
        return new BinarySearchResult(null, rejected);
    }

    private bool IsExecutable(string path)
    {
        if (_options.Platform.IsWindows || OperatingSystem.IsWindows())
        {
            return true; // Windows has no execute bit; the probe decides.
        }
        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(path) & anyExecute) != 0;
    }

    private static IEnumerable<string> PlatformFolders(string root, BinaryPlatform platform)
    {
        if (!Directory.Exists(root))
        {
            return [];
        }
        var matches = new List<(string Path, int Rank, string Name)>();
        foreach (var directory in Directory.EnumerateDirectories(root))
        {
            var name = Path.GetFileName(directory);
            foreach (var (spelling, spellingRank) in platform.FolderNames.Select((s, i) => (s, i)))
            {
                if (name.Equals(spelling, StringComparison.OrdinalIgnoreCase))
                {
                    matches.Add((directory, 100 + spellingRank, name));
                }
                else if (name.StartsWith(spelling + "-", StringComparison.OrdinalIgnoreCase))
                {
                    var variant = name[(spelling.Length + 1)..].ToLowerInvariant();
                    var accelerated = Array.FindIndex(AcceleratedVariants, a => variant.StartsWith(a, StringComparison.Ordinal));
                    matches.Add((directory, accelerated >= 0 ? accelerated : 200 + spellingRank, name));
                }
            }
        }
        return matches.OrderBy(m => m.Rank).ThenBy(m => m.Name, StringComparer.Ordinal).Select(m => m.Path);
    }
}
