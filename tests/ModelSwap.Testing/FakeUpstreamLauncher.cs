using System.Globalization;
using System.Runtime.InteropServices;

namespace ModelSwap.Testing;

/// <summary>
/// Command lines that run tests/ModelSwap.FakeUpstream as a real child process:
/// <c>dotnet …/ModelSwap.FakeUpstream.dll --port N --name X [flags]</c>.
/// </summary>
public static class FakeUpstreamLauncher
{
    private const string AssemblyFile = "ModelSwap.FakeUpstream.dll";
    private static readonly Lazy<string> DllPathLazy = new(FindDll);
    private static readonly Lazy<string> DotnetPathLazy = new(FindDotnet);

    /// <summary>Full path of the built fake upstream assembly.</summary>
    public static string DllPath => DllPathLazy.Value;

    /// <summary>Full path of the dotnet host that runs it (the one running the tests).</summary>
    public static string DotnetPath => DotnetPathLazy.Value;

    /// <summary>
    /// The argv (program first) of a fake upstream on <paramref name="port"/>. Flags the fake knows:
    /// --ready-delay MS, --ignore-sigterm, --crash-after MS, --spawn-child, --spawn-detached-child.
    /// </summary>
    public static IReadOnlyList<string> Command(int port, string name, params string[] flags) =>
        [DotnetPath, DllPath, "--port", port.ToString(CultureInfo.InvariantCulture), "--name", name, .. flags];

    private static string FindDll()
    {
        // Normally copied beside the test assembly through the project reference.
        var beside = Path.Combine(AppContext.BaseDirectory, AssemblyFile);
        if (File.Exists(beside) && File.Exists(Path.ChangeExtension(beside, ".runtimeconfig.json")))
        {
            return beside;
        }
        // Otherwise its own build output, found from the repository root.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var project = Path.Combine(dir.FullName, "tests", "ModelSwap.FakeUpstream");
            if (!Directory.Exists(project))
            {
                continue;
            }
            var built = Directory.EnumerateFiles(Path.Combine(project, "bin"), AssemblyFile, SearchOption.AllDirectories)
                .Where(p => File.Exists(Path.ChangeExtension(p, ".runtimeconfig.json")))
                .OrderByDescending(File.GetLastWriteTimeUtc)
                .FirstOrDefault();
            if (built is not null)
            {
                return built;
            }
        }
        throw new FileNotFoundException(
            $"{AssemblyFile} was not found beside {AppContext.BaseDirectory} nor under tests/ModelSwap.FakeUpstream/bin; build the solution first.");
    }

    private static string FindDotnet()
    {
        // Set by the dotnet CLI for the processes it runs (dotnet test).
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }
        // The runtime lives in <root>/shared/Microsoft.NETCore.App/<version>/; the host in <root>.
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var candidate = Path.Combine(root, OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet");
        return File.Exists(candidate) ? candidate : "dotnet";
    }
}
