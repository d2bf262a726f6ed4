using ModelSwap.Testing;

namespace ModelSwap.LlamaServer.Tests;

/// <summary>
/// The real llama-server these tests run: <c>MODELSWAP_TEST_LLAMA_SERVER</c> (scripts/test.sh sets
/// it), else whatever <c>scripts/build-llama-server.sh</c> prints (it builds once per machine and
/// answers at once from its cache afterwards). Never skipped: without a binary every test fails
/// saying how to get one.
/// </summary>
internal static class LlamaServerBinary
{
    public const string Variable = "MODELSWAP_TEST_LLAMA_SERVER";
    private static readonly Lazy<string> PathLazy = new(Find);

    public static string Path => PathLazy.Value;

    /// <summary>The folder holding the binary, to put first on a PATH so discovery finds it.</summary>
    public static string Directory => System.IO.Path.GetDirectoryName(Path)!;

    private static string Find()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } set)
        {
            Assert.True(File.Exists(set), $"{Variable}={set} does not exist; run `bash scripts/build-llama-server.sh` and point {Variable} at the path it prints.");
            return set;
        }
        var script = ScriptPath();
        var (exitCode, path, stderr) = BuildScript.Run(script);
        Assert.True(exitCode == 0 && path is not null && File.Exists(path),
            $"No llama-server: {Variable} is not set and `bash {script}` failed (exit {exitCode}): {stderr}");
        return path!;
    }

    private static string ScriptPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var script = System.IO.Path.Combine(dir.FullName, "scripts", "build-llama-server.sh");
            if (File.Exists(script))
            {
                return script;
            }
        }
        throw new FileNotFoundException($"scripts/build-llama-server.sh not found above {AppContext.BaseDirectory}; set {Variable}.");
    }
}
