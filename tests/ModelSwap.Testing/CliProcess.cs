using System.Diagnostics;

namespace ModelSwap.Testing;

/// <summary>
/// A command still running: its <see cref="Process"/> (to signal it) and the <see cref="Completion"/>
/// that collects its output. A run that outlives <see cref="CliRunner.HangGuard"/> is killed (whole
/// tree) and fails with what it printed, so a hang is a failure with a reason, never a stuck suite.
/// </summary>
public sealed class CliProcess
{
    internal CliProcess(Process process)
    {
        Process = process;
        Completion = CollectAsync(process);
    }

    public Process Process { get; }

    public Task<CliResult> Completion { get; }

    private static async Task<CliResult> CollectAsync(Process process)
    {
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var hangGuard = new CancellationTokenSource(CliRunner.HangGuard);
            try
            {
                await process.WaitForExitAsync(hangGuard.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException(
                    $"{process.StartInfo.FileName} {string.Join(' ', process.StartInfo.ArgumentList)} did not exit within {CliRunner.HangGuard}: "
                    + await stderr.ConfigureAwait(false));
            }
            return new CliResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
        }
    }
}
