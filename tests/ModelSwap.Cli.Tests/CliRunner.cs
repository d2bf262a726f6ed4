using System.Diagnostics;

namespace ModelSwap.Cli.Tests;

/// <summary>Runs a program to its end with its own environment and returns exit code, stdout and stderr.</summary>
internal static class CliRunner
{
    public static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2);

    /// <summary>`dotnet modelswap.dll ARGS` (this build's CLI).</summary>
    public static Task<(int Code, string Stdout, string Stderr)> ModelSwapAsync(IReadOnlyDictionary<string, string> environment, params string[] args) =>
        RunAsync("dotnet", [ServeProcess.ModelSwapDll, .. args], environment, HangGuard);

    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string program, IEnumerable<string> args,
        IReadOnlyDictionary<string, string> environment, TimeSpan hangGuard)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment.Remove("MODELSWAP_URL");
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(hangGuard);
        try
        {
            await process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"hang guard: {program} {string.Join(' ', args)} did not exit within {hangGuard.TotalMinutes} min; stderr: {await stderr}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
