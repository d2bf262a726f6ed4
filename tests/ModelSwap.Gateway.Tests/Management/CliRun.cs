using System.Diagnostics;
using ModelSwap.Testing;

namespace ModelSwap.Gateway.Tests.Management;

/// <summary>Runs the built `modelswap` CLI with an isolated MODELSWAP_HOME and returns its exit code and output.</summary>
internal static class CliRun
{
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string home, params string[] args)
    {
        var info = new ProcessStartInfo(FakeUpstreamLauncher.DotnetPath) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(ModelSwapLauncher.DllPath);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["MODELSWAP_HOME"] = home;
        info.Environment.Remove("MODELSWAP_URL");
        info.Environment.Remove("MODELSWAP_MODELS_DIR");
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var hangGuard = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(hangGuard.Token);
        return (process.ExitCode, await stdout, await stderr);
    }
}
