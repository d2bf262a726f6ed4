using System.Reflection;

namespace ModelSwap.Engine.Tests.Support;

/// <summary>Where the repository and the built `modelswap` are, found from the test assembly's location.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>modelswap.dll as built by src/ModelSwap.Cli in the same configuration as these tests.</summary>
    public static string ModelSwapDll
    {
        get
        {
            var configuration = typeof(RepositoryPaths).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
            var path = Path.Combine(Root, "src", "ModelSwap.Cli", "bin", configuration, "net10.0", "modelswap.dll");
            Assert.True(File.Exists(path), $"modelswap.dll is not built at {path}");
            return path;
        }
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ModelSwap.slnx")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"ModelSwap.slnx not found above {AppContext.BaseDirectory}");
    }
}
