using ModelSwap.Testing;

namespace ModelSwap.Engine.Tests.Support;

/// <summary>
/// The folder of llama.cpp libraries scripts/build-engine-natives.sh built for this CPU (patched to
/// LLamaSharp's struct layouts): <c>MODELSWAP_TEST_ENGINE_NATIVES</c> (scripts/test.sh sets it),
/// else whatever the script prints (it builds once per machine, a few minutes on 2 cores, and answers
/// from its cache at once afterwards). Never skipped: without the libraries the tests that need them
/// fail saying how to get them.
/// </summary>
internal static class BuiltEngineLibraries
{
    public const string Variable = "MODELSWAP_TEST_ENGINE_NATIVES";
    private const string Script = "scripts/build-engine-natives.sh";
    private static readonly Lazy<string> DirectoryLazy = new(Find);

    public static string Directory => DirectoryLazy.Value;

    private static string Find()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } set)
        {
            // scripts/test.sh points the variable at the build's log when the build failed, so these tests
            // fail quoting it instead of starting the same build again under the hang timeout.
            var log = File.Exists(set) ? ":\n" + string.Join('\n', File.ReadLines(set).TakeLast(30)) : "";
            Assert.True(IsBuild(set), $"{Variable}={set} is not a folder of built libraries; run `bash {Script}` and point {Variable} at the folder it prints{log}");
            return set;
        }
        var script = Path.Combine(RepositoryPaths.Root, Script);
        var (exitCode, folder, stderr) = BuildScript.Run(script);
        Assert.True(exitCode == 0 && folder is not null && IsBuild(folder),
            $"No engine libraries built for this CPU: {Variable} is not set and `bash {script}` failed (exit {exitCode}): {stderr}");
        return folder!;
    }

    private static bool IsBuild(string folder) => File.Exists(Path.Combine(folder, "libllama.so")) && File.Exists(Path.Combine(folder, "libmtmd.so"));
}
