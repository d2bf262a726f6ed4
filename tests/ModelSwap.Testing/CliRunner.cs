using System.Diagnostics;

namespace ModelSwap.Testing;

/// <summary>
/// Runs the built <c>modelswap</c> CLI (<c>dotnet modelswap.dll …</c>) the way every CLI test needs it:
/// its own MODELSWAP_HOME (never the user's pid file, models.yaml or recorded service), no inherited
/// MODELSWAP_URL, MODELSWAP_MODELS_DIR or MODELSWAP_API_KEYS, no colour; <see cref="Environment"/>
/// adds or removes (null) variables per test. Also runs other programs (kill, systemd-analyze) the same way.
/// </summary>
public sealed class CliRunner
{
    /// <summary>How long one command may run before it counts as hung: generous, for a loaded 2-core machine.</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(5);

    private static readonly Lazy<string> DllLazy = new(FindDll);

    public CliRunner(string home)
    {
        Home = home;
        Environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["MODELSWAP_HOME"] = home,
            ["MODELSWAP_URL"] = null,
            ["MODELSWAP_MODELS_DIR"] = null,
            ["MODELSWAP_API_KEYS"] = null,
            ["NO_COLOR"] = "1",
        };
    }

    /// <summary>The built modelswap.dll: beside the test assembly when the CLI is referenced, else its own build output.</summary>
    public static string ModelSwapDll => DllLazy.Value;

    public string Home { get; }

    /// <summary>Variables set for every command this runner starts; a null value removes the variable.</summary>
    public IDictionary<string, string?> Environment { get; }

    /// <summary>A copy with the same environment plus <paramref name="overrides"/>.</summary>
    public CliRunner With(params (string Name, string? Value)[] overrides)
    {
        var copy = new CliRunner(Home);
        foreach (var (name, value) in Environment)
        {
            copy.Environment[name] = value;
        }
        foreach (var (name, value) in overrides)
        {
            copy.Environment[name] = value;
        }
        return copy;
    }

    public Task<CliResult> RunAsync(params string[] args) => Start(args).Completion;

    /// <summary>Starts <c>modelswap ARGS</c> and returns at once (to signal it while it runs).</summary>
    public CliProcess Start(params string[] args) => StartTool(FakeUpstreamLauncher.DotnetPath, [ModelSwapDll, .. args]);

    /// <summary>Runs another program with this runner's environment.</summary>
    public Task<CliResult> RunToolAsync(string program, params string[] args) => StartTool(program, args).Completion;

    /// <summary>
    /// `modelswap start ARGS` (which returns once the service answers /health) and a handle whose
    /// disposal runs `modelswap stop`: the background service never outlives the test.
    /// </summary>
    public async Task<StartedService> StartServiceAsync(params string[] args)
    {
        var started = await RunAsync(["start", .. args]).ConfigureAwait(false);
        if (started.Code != 0)
        {
            throw new InvalidOperationException($"modelswap start exited {started.Code}: {started.Stderr}");
        }
        return new StartedService(this, started);
    }

    private CliProcess StartTool(string program, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in Environment)
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }
        return new CliProcess(Process.Start(info)!);
    }

    private static string FindDll()
    {
        var beside = Path.Combine(AppContext.BaseDirectory, "modelswap.dll");
        return File.Exists(beside) && File.Exists(Path.ChangeExtension(beside, ".runtimeconfig.json")) ? beside : ModelSwapLauncher.DllPath;
    }
}
