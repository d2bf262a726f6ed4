using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ModelSwap.Bench.Gateway;

/// <summary>
/// Throughput with wrk (a C load generator, so the client takes little of the 2 cores) when it is
/// installed; bench/run.sh installs it.
/// </summary>
internal static partial class WrkLoad
{
    public static string? Path { get; } = new[] { "/usr/bin/wrk", "/usr/local/bin/wrk" }.FirstOrDefault(File.Exists);

    public static async Task<double> RequestsPerSecondAsync(Uri target, int connections, TimeSpan duration, string body)
    {
        var script = System.IO.Path.GetTempFileName();
        await File.WriteAllTextAsync(script, $$"""
            wrk.method = "POST"
            wrk.body = '{{body}}'
            wrk.headers["Content-Type"] = "application/json"
            """);
        try
        {
            var info = new ProcessStartInfo(Path!) { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var arg in new[] { "-t1", $"-c{connections}", $"-d{(int)duration.TotalSeconds}s", "-s", script, new Uri(target, "/v1/chat/completions").ToString() })
            {
                info.ArgumentList.Add(arg);
            }
            using var process = Process.Start(info)!;
            var output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            var match = RequestsPerSecond().Match(output);
            return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) : throw new InvalidOperationException("wrk said: " + output);
        }
        finally
        {
            File.Delete(script);
        }
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();
}
