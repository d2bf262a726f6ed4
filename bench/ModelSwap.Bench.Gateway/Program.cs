// Gateway benchmark. In one run, against the SAME fake upstream process:
//   (a) warm request latency (p50, p99) and throughput with concurrent clients: direct, through
//       ModelSwap, and through nginx proxy_pass when nginx is installed (bench/run.sh installs it);
//   (b) cold swap: request-to-response for a swapped-in model minus the upstream's own
//       spawn-to-healthy time measured in the same run.
// Prints ratios against the baselines; never asserts.
using System.Globalization;
using ModelSwap.Bench.Gateway;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var settings = BenchSettings.FromArgs(args);
await using var lab = await BenchLab.StartAsync(settings);

Console.WriteLine($"# ModelSwap gateway benchmark ({Environment.ProcessorCount} cores, {settings.Rounds} rounds)");
var warm = await WarmBenchmark.RunAsync(lab, settings);
warm.Print();
var swap = await SwapBenchmark.RunAsync(lab, settings);
swap.Print();
