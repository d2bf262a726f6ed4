using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace ModelSwap.Bench.LlamaServer;

/// <summary>The measurements and the helpers they share.</summary>
internal static class Tools
{
    public static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    public static double P90(List<double> values) => values.Order().ElementAt(Math.Min(values.Count - 1, (int)(values.Count * 0.9)));

    /// <summary>Starts llama-server and polls /health (no delay between tries) until 200; returns the milliseconds.</summary>
    public static async Task<double> SpawnToHealthyAsync(string server, string model)
    {
        var port = FreePort();
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(1) };
        var health = new Uri($"http://127.0.0.1:{port}/health");
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(new ProcessStartInfo(server)
        {
            ArgumentList = { "--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "-m", model, "--ctx-size", "4096" },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            while (true)
            {
                try
                {
                    using var response = await client.GetAsync(health);
                    if (response.IsSuccessStatusCode)
                    {
                        return clock.Elapsed.TotalMilliseconds;
                    }
                }
                catch (HttpRequestException)
                {
                }
                if (clock.Elapsed > TimeSpan.FromSeconds(60) || process.HasExited)
                {
                    throw new InvalidOperationException("llama-server did not become healthy");
                }
            }
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Greedy completions through the gateway: mean tokens/s by the wall clock, and llama-server's draft acceptance.</summary>
    public static async Task<(double TokensPerSecond, string Acceptance)> DecodeAsync(HttpClient client, string model, int tokens, int repeats)
    {
        var body = new { model, prompt = "Hello world, the story", max_tokens = tokens, temperature = 0, top_k = 1, ignore_eos = true };
        using (var warm = await client.PostAsJsonAsync("/v1/completions", body with { max_tokens = 4 }))
        {
            if (!warm.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{model}: {(int)warm.StatusCode} {await warm.Content.ReadAsStringAsync()}");
            }
        }
        double seconds = 0;
        long produced = 0, drafted = 0, accepted = 0;
        for (var i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await client.PostAsJsonAsync("/v1/completions", body);
            var text = await response.Content.ReadAsStringAsync();
            clock.Stop();
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{model}: {(int)response.StatusCode} {text}");
            }
            var json = JsonNode.Parse(text)!;
            seconds += clock.Elapsed.TotalSeconds;
            produced += json["usage"]!["completion_tokens"]!.GetValue<long>();
            drafted += json["timings"]?["draft_n"]?.GetValue<long>() ?? 0;
            accepted += json["timings"]?["draft_n_accepted"]?.GetValue<long>() ?? 0;
        }
        var acceptance = drafted > 0 ? $"{accepted} of {drafted} drafted tokens, {100.0 * accepted / drafted:0.#} %" : "no drafting";
        return (produced / seconds, acceptance);
    }

    public static string BuildLlamaServer()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "../../../../../scripts/build-llama-server.sh");
        using var process = Process.Start(new ProcessStartInfo("bash") { ArgumentList = { Path.GetFullPath(script) }, RedirectStandardOutput = true, UseShellExecute = false })!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var path = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        return process.ExitCode == 0 && File.Exists(path) ? path! : throw new InvalidOperationException("scripts/build-llama-server.sh failed");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
