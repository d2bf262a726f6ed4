using System.Diagnostics;
using System.Text;

namespace ModelSwap.Bench.Gateway;

/// <summary>(a) Warm latency and throughput: direct vs ModelSwap vs nginx, interleaved in rounds.</summary>
internal static class WarmBenchmark
{
    private const string BodyText = """{"model":"warm","messages":[{"role":"user","content":"hello"}],"fake_chunks":1}""";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes(BodyText);

    /// <param name="ProxyMicrosPerRequest">CPU time the proxy process spent per request (null for direct).</param>
    internal sealed record Result(string Name, double P50Ms, double P99Ms, double RequestsPerSecond, double? ProxyMicrosPerRequest);

    internal sealed record Report(IReadOnlyList<Result> Results)
    {
        public void Print()
        {
            Console.WriteLine();
            Console.WriteLine("## (a) warm requests (median of rounds)");
            Console.WriteLine($"throughput client: {(WrkLoad.Path is null ? "in-process HttpClient (install wrk for a lighter client)" : "wrk")}");
            Console.WriteLine($"{"path",-10} {"p50 ms",8} {"p99 ms",8} {"req/s",9} {"proxy CPU us/req",17}");
            foreach (var r in Results)
            {
                Console.WriteLine($"{r.Name,-10} {r.P50Ms,8:F3} {r.P99Ms,8:F3} {r.RequestsPerSecond,9:F0} {(r.ProxyMicrosPerRequest is { } us ? us.ToString("F1") : "-"),17}");
            }
            var direct = Results.Single(r => r.Name == "direct");
            var modelswap = Results.Single(r => r.Name == "modelswap");
            Console.WriteLine($"modelswap overhead p50: {modelswap.P50Ms - direct.P50Ms:F3} ms (target <= 0.3), p99: {modelswap.P99Ms - direct.P99Ms:F3} ms");
            Console.WriteLine($"modelswap throughput / direct: {modelswap.RequestsPerSecond / direct.RequestsPerSecond:F2}x (target >= 0.9)");
            if (Results.SingleOrDefault(r => r.Name == "nginx") is { } nginx)
            {
                Console.WriteLine($"nginx overhead p50: {nginx.P50Ms - direct.P50Ms:F3} ms; nginx throughput / direct: {nginx.RequestsPerSecond / direct.RequestsPerSecond:F2}x");
                Console.WriteLine($"modelswap throughput / nginx: {modelswap.RequestsPerSecond / nginx.RequestsPerSecond:F2}x (target >= 1.0)");
            }
        }
    }

    public static async Task<Report> RunAsync(BenchLab lab, BenchSettings settings)
    {
        var targets = new List<(string Name, Uri Uri, int? Pid)> { ("direct", lab.Direct, null), ("modelswap", lab.ModelSwap, lab.ModelSwapPid) };
        if (lab.Nginx is { } nginx)
        {
            targets.Add(("nginx", nginx, lab.NginxPid));
        }
        var rounds = targets.ToDictionary(t => t.Name, _ => new List<Result>());
        for (var round = 0; round < settings.Rounds; round++)
        {
            foreach (var (name, uri, pid) in targets)
            {
                rounds[name].Add(await MeasureAsync(name, uri, pid, settings));
            }
        }
        return new Report(targets.Select(t => new Result(t.Name,
            Percentiles.Median(rounds[t.Name].Select(r => r.P50Ms)),
            Percentiles.Median(rounds[t.Name].Select(r => r.P99Ms)),
            Percentiles.Median(rounds[t.Name].Select(r => r.RequestsPerSecond)),
            t.Pid is null ? null : Percentiles.Median(rounds[t.Name].Select(r => r.ProxyMicrosPerRequest!.Value)))).ToArray());
    }

    private static async Task<Result> MeasureAsync(string name, Uri uri, int? proxyPid, BenchSettings settings)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 256 })
        {
            BaseAddress = uri,
        };
        for (var i = 0; i < 200; i++)
        {
            await SendAsync(client);
        }
        var latencies = new double[settings.LatencyRequests];
        for (var i = 0; i < latencies.Length; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await SendAsync(client);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        var cpuBefore = proxyPid is { } before ? ProcessCpu.Of(before) : TimeSpan.Zero;
        double requestsPerSecond;
        TimeSpan elapsed;
        if (WrkLoad.Path is not null)
        {
            var clock = Stopwatch.StartNew();
            requestsPerSecond = await WrkLoad.RequestsPerSecondAsync(uri, settings.Clients, settings.ThroughputDuration, BodyText);
            elapsed = clock.Elapsed;
        }
        else
        {
            var count = 0L;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, settings.Clients).Select(async _ =>
            {
                while (clock.Elapsed < settings.ThroughputDuration)
                {
                    await SendAsync(client);
                    Interlocked.Increment(ref count);
                }
            }));
            elapsed = clock.Elapsed;
            requestsPerSecond = count / elapsed.TotalSeconds;
        }
        double? proxyMicros = proxyPid is { } after
            ? (ProcessCpu.Of(after) - cpuBefore).TotalMicroseconds / (requestsPerSecond * settings.ThroughputDuration.TotalSeconds)
            : null;
        return new Result(name, Percentiles.Of(latencies, 50), Percentiles.Of(latencies, 99), requestsPerSecond, proxyMicros);
    }

    private static async Task SendAsync(HttpClient client)
    {
        using var content = new ByteArrayContent(Body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var response = await client.PostAsync("/v1/chat/completions", content);
        response.EnsureSuccessStatusCode();
        await response.Content.ReadAsByteArrayAsync();
    }
}
