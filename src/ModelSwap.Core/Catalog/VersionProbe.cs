using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace ModelSwap.Core.Catalog;

/// <summary>Runs <c>binary --version</c> (or another probing flag) with a timeout and bounded output, and reads the answer.</summary>
internal static partial class VersionProbe
{
    private const int MaxOutputChars = 16 * 1024;

    public static async Task<(string? Version, string? Error)> RunAsync(string path, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var (exitCode, text, error) = await RunWithAsync(path, "--version", timeout, cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return (null, error);
        }
        if (exitCode != 0)
        {
            return (null, $"--version exited with code {exitCode}: {FirstLine(text)}");
        }
        var match = VersionLine().Match(text);
        return (match.Success ? match.Groups["v"].Value.Trim() : FirstLine(text) is { Length: > 0 } first ? first : "unknown", null);
    }

    /// <summary>Runs <c>binary ARGUMENT</c> with a timeout; its exit code and (bounded) stdout then stderr, or why it did not run.</summary>
    public static async Task<(int ExitCode, string Text, string? Error)> RunWithAsync(string path, string argument, TimeSpan timeout,
        CancellationToken cancellationToken, int maxOutputChars = MaxOutputChars)
    {
        var start = new ProcessStartInfo(path)
        {
            ArgumentList = { argument },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(path),
        };
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException("the process did not start");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            return (-1, "", $"cannot be started: {e.Message}");
        }
        using (process)
        {
            process.StandardInput.Close(); // a binary waiting for input must not hang the probe
            StringBuilder stdout = new(), stderr = new();
            var readers = Task.WhenAll(ReadBoundedAsync(process.StandardOutput, stdout, maxOutputChars), ReadBoundedAsync(process.StandardError, stderr, maxOutputChars));
            using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timer.CancelAfter(timeout);
            try
            {
                await process.WaitForExitAsync(timer.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
                await DrainAsync(readers).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                return (-1, "", $"did not answer {argument} within {timeout.TotalSeconds:0.#} s");
            }
            await DrainAsync(readers).ConfigureAwait(false);
            return (process.ExitCode, Snapshot(stdout) + "\n" + Snapshot(stderr), null);
        }
    }

    /// <summary>
    /// Waits briefly for the pipes to close: a child the binary left running may hold them open,
    /// and the output gathered so far is enough.
    /// </summary>
    private static async Task DrainAsync(Task readers)
    {
        try
        {
            await readers.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or IOException or ObjectDisposedException)
        {
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";

    /// <summary>Reads to the end but keeps only the first characters (16K by default), so a chatty binary cannot fill memory.</summary>
    private static async Task ReadBoundedAsync(StreamReader reader, StringBuilder output, int maxOutputChars)
    {
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            lock (output)
            {
                output.Append(buffer, 0, Math.Min(read, Math.Max(0, maxOutputChars - output.Length)));
            }
        }
    }

    [GeneratedRegex(@"^\s*version:\s*(?<v>.+)$", RegexOptions.Multiline)]
    private static partial Regex VersionLine();
}
