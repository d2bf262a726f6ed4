namespace ModelSwap.Testing;

/// <summary>
/// The built <c>modelswap</c> CLI (src/ModelSwap.Cli) run as <c>dotnet …/modelswap.dll</c>, e.g. as
/// the engine command of a generated config. A test project makes sure it is built with a
/// ProjectReference to the CLI (ReferenceOutputAssembly="false").
/// </summary>
public static class ModelSwapLauncher
{
    private const string AssemblyFile = "modelswap.dll";
    private static readonly Lazy<string> DllPathLazy = new(FindDll);

    /// <summary>Full path of the built modelswap.dll, in the CLI's own build output (where the engine's native libraries are).</summary>
    public static string DllPath => DllPathLazy.Value;

    /// <summary>The argv prefix that runs modelswap: <c>[dotnet, modelswap.dll]</c>.</summary>
    public static IReadOnlyList<string> Command => [FakeUpstreamLauncher.DotnetPath, DllPath];

    private static string FindDll()
    {
        // Prefer the configuration the tests were built in (bin/Release or bin/Debug).
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Debug" : "Release";
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var bin = Path.Combine(dir.FullName, "src", "ModelSwap.Cli", "bin");
            if (!Directory.Exists(bin))
            {
                continue;
            }
            var built = Directory.EnumerateFiles(bin, AssemblyFile, SearchOption.AllDirectories)
                .Where(p => File.Exists(Path.ChangeExtension(p, ".runtimeconfig.json")))
                .OrderByDescending(p => p.Contains($"{Path.DirectorySeparatorChar}{configuration}{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .ThenByDescending(File.GetLastWriteTimeUtc)
                .FirstOrDefault();
            if (built is not null)
            {
                return built;
            }
        }
        throw new FileNotFoundException($"{AssemblyFile} was not found under src/ModelSwap.Cli/bin above {AppContext.BaseDirectory}; build the solution first.");
    }
}
