namespace ModelSwap.Dashboard.Tests.EndToEnd;

/// <summary>The checkout these tests were built from (the folder holding ModelSwap.slnx).</summary>
internal static class RepositoryRoot
{
    private static readonly Lazy<string> PathLazy = new(Find);

    public static string Path => PathLazy.Value;

    /// <summary>Release or Debug, as the tests themselves were built.</summary>
    public static string Configuration =>
        AppContext.BaseDirectory.Contains($"{System.IO.Path.DirectorySeparatorChar}Debug{System.IO.Path.DirectorySeparatorChar}", StringComparison.Ordinal)
            ? "Debug" : "Release";

    /// <summary>Where screenshots go: .test-output/dashboard (test.sh's results folder, ignored by git).</summary>
    public static string ArtifactsDirectory
    {
        get
        {
            var dir = System.IO.Path.Combine(Path, ".test-output", "dashboard");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "ModelSwap.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"no ModelSwap.slnx above {AppContext.BaseDirectory}");
    }
}
