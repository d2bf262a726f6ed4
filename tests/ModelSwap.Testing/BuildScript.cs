using System.Diagnostics;

namespace ModelSwap.Testing;

/// <summary>
/// Runs one of the project's build scripts (scripts/build-llama-server.sh, scripts/build-engine-natives.sh),
/// which build once per machine into a cache and print what they built as their last output line.
/// </summary>
public static class BuildScript
{
    /// <summary>The script's exit code, its last non-empty output line (null when none) and its stderr.</summary>
    public static (int ExitCode, string? LastLine, string Stderr) Run(string script)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var last = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        return (process.ExitCode, last, stderr.Result);
    }
}
