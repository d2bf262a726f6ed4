// Run: dotnet run -c Release --project bench/ReadinessLatency [-- RUNS]   (not part of the test run)
// Measures the time from a fake upstream's ready moment (it reports it at GET /fake/ready-at, as
// wall-clock unix ms) to ModelProcess.StartAsync returning, over several runs, for:
//   - ready-delay 0: ready when it starts listening (it prints a "listening" line then, which
//     wakes the probe, as llama-server's "server is listening" line would);
//   - ready-delay 300 / 1500 ms: /health turns 200 with no output at all, so only polling finds it.
// "ready->first 200 served" (the fake's own clock) splits the polling gap from the answer's travel.
// llama-swap, for comparison, waits 250 ms and then polls once a second.
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ModelSwap.Core.Configuration;
using ModelSwap.Gateway.Processes;
using ModelSwap.Testing;

var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
await using var services = new ServiceCollection().AddLogging().AddModelProcesses().BuildServiceProvider();
var factory = services.GetRequiredService<IModelProcessFactory>();
using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false });

foreach (var readyDelayMs in new[] { 0, 300, 1500 })
{
    var latencies = new List<double>();
    var startTimes = new List<double>();
    var pollGaps = new List<double>();
    for (var i = 0; i < runs; i++)
    {
        var port = FreePort.Get();
        var model = new ModelConfig
        {
            Id = $"bench{i}",
            Command = [.. FakeUpstreamLauncher.Command(port, $"bench{i}", "--ready-delay", readyDelayMs.ToString(CultureInfo.InvariantCulture))],
            Proxy = new Uri($"http://127.0.0.1:{port}"),
            HealthCheckTimeout = TimeSpan.FromSeconds(60),
        };
        await using var process = factory.Create(model);
        var launched = DateTime.UtcNow;
        await process.StartAsync(CancellationToken.None);
        var returned = DateTime.UtcNow;
        var times = (await http.GetFromJsonAsync<JsonObject>(new Uri(model.Proxy, "/fake/ready-at")))!;
        var readyAt = times["ready_at_unix_ms"]!.GetValue<double>();
        var firstOk = times["first_ok_unix_ms"]!.GetValue<double>();
        latencies.Add((returned - DateTime.UnixEpoch).TotalMilliseconds - readyAt);
        pollGaps.Add(firstOk - readyAt);
        startTimes.Add((returned - launched).TotalMilliseconds);
    }
    latencies.Sort();
    startTimes.Sort();
    pollGaps.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"ready-delay {readyDelayMs,5} ms, {runs} runs: ready->StartAsync returned  min {latencies[0]:0.00}  median {Median(latencies):0.00}  " +
        $"p90 {latencies[(int)(latencies.Count * 0.9)]:0.00}  max {latencies[^1]:0.00} ms; of which ready->first 200 served median {Median(pollGaps):0.00} " +
        $"max {pollGaps[^1]:0.00} ms   (launch->ready median {Median(startTimes):0} ms)"));
}

// What the polling costs while a model loads: CPU time of the probed server and of this process
// over a 10 s load, against an identical server nobody probes.
{
    var probedPort = FreePort.Get();
    var idlePort = FreePort.Get();
    var probed = new ModelConfig
    {
        Id = "probed",
        Command = [.. FakeUpstreamLauncher.Command(probedPort, "probed", "--ready-delay", "10000")],
        Proxy = new Uri($"http://127.0.0.1:{probedPort}"),
        HealthCheckTimeout = TimeSpan.FromSeconds(60),
    };
    var idle = probed with { Id = "idle", Command = [.. FakeUpstreamLauncher.Command(idlePort, "idle", "--ready-delay", "10000")], Proxy = new Uri($"http://127.0.0.1:{idlePort}"), CheckEndpoint = null };
    await using var probedProcess = factory.Create(probed);
    await using var idleProcess = factory.Create(idle);
    await idleProcess.StartAsync(CancellationToken.None);
    var start = probedProcess.StartAsync(CancellationToken.None);
    await Task.Delay(TimeSpan.FromSeconds(2));
    var (p0, i0, s0) = (CpuMs(probedProcess.ProcessId!.Value), CpuMs(idleProcess.ProcessId!.Value), CpuMs(Environment.ProcessId));
    await Task.Delay(TimeSpan.FromSeconds(7));
    var (p1, i1, s1) = (CpuMs(probedProcess.ProcessId!.Value), CpuMs(idleProcess.ProcessId!.Value), CpuMs(Environment.ProcessId));
    await start;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"probe cost over 7 s of loading: probed server {(p1 - p0) / 7:0.0} ms CPU/s vs unprobed {(i1 - i0) / 7:0.0} ms CPU/s; this process {(s1 - s0) / 7:0.0} ms CPU/s"));
}

static double CpuMs(int pid)
{
    var stat = File.ReadAllText($"/proc/{pid}/stat");
    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    // utime and stime are fields 14 and 15, in clock ticks (100 per second on Linux).
    return (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) * 10;
}

static double Median(List<double> sorted) => sorted.Count % 2 == 1
    ? sorted[sorted.Count / 2]
    : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
