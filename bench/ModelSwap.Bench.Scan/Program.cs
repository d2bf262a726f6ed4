// Discovery benchmark: generates a models folder of GGUF headers (default 1,000 files, a 1,000-token
// vocabulary each) and times, median of several rounds:
//   baseline  a bare recursive walk that stats every .gguf file (what any scan must at least do)
//   cold      a new ModelScanner: walk, read every header, group, pair, name, alias
//   warm      a rescan by the same scanner with nothing changed (headers cached)
//   one new   a rescan after one file was added (the watcher's case)
// Prints the figures and ratios against the baseline; never asserts.
// Usage: ModelSwap.Bench.Scan [--files N] [--vocab N] [--rounds N]
using System.Diagnostics;
using System.Globalization;
using ModelSwap.Bench.Scan;
using ModelSwap.Core.Catalog;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var files = Arg("--files", 1000);
var vocabulary = Arg("--vocab", 1000);
var rounds = Arg("--rounds", 7);
var root = Directory.CreateTempSubdirectory("modelswap-bench-scan-").FullName;
try
{
    var clock = Stopwatch.StartNew();
    HeaderFarm.Write(root, files, vocabulary);
    var bytes = Directory.EnumerateFiles(root, "*.gguf", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
    Console.WriteLine($"# ModelSwap scan benchmark: {files} GGUF files ({bytes / 1024 / 1024.0:0.0} MiB of headers, {vocabulary}-token vocabularies) " +
        $"written in {clock.Elapsed.TotalSeconds:0.0} s; {Environment.ProcessorCount} cores, median of {rounds} rounds");
    var options = new ModelScannerOptions { Directories = [root], BundledDirectory = null, SettleTime = TimeSpan.Zero };

    // Warm-up: JIT and the OS page cache, so every round measures the same thing.
    var first = new ModelScanner(options).Scan();
    var baseline = Median(rounds, () => Directory.EnumerateFiles(root, "*.gguf", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length));
    var cold = Median(rounds, () => new ModelScanner(options).Scan().Models.Count);
    var scanner = new ModelScanner(options);
    scanner.Scan();
    var warm = Median(rounds, () => scanner.Scan().Models.Count);
    var added = 0;
    var oneNew = Median(rounds, () =>
    {
        var source = Directory.EnumerateFiles(Path.Combine(root, "folder00"), "*.gguf").First();
        File.Copy(source, Path.Combine(root, "folder00", $"added-model-{added++}-7b-instruct-q4_k_m.gguf"));
        return scanner.Scan().Models.Count;
    });

    Console.WriteLine($"models found: {first.Models.Count} (plus projectors and split parts), warnings: {first.Warnings.Count}");
    Print("baseline walk+stat", baseline, baseline);
    Print("cold scan", cold, baseline);
    Print("warm rescan", warm, baseline);
    Print("rescan, one new file", oneNew, baseline);
    Console.WriteLine($"cold scan per file: {cold.TotalMilliseconds * 1000 / files:0.0} µs");
}
finally
{
    Directory.Delete(root, recursive: true);
}

int Arg(string name, int fallback)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? int.Parse(args[at + 1], CultureInfo.InvariantCulture) : fallback;
}

static TimeSpan Median(int rounds, Func<long> run)
{
    var times = new List<TimeSpan>();
    for (var i = 0; i < rounds; i++)
    {
        var clock = Stopwatch.StartNew();
        run();
        times.Add(clock.Elapsed);
    }
    times.Sort();
    return times[times.Count / 2];
}

static void Print(string what, TimeSpan time, TimeSpan baseline) =>
    Console.WriteLine($"{what,-22} {time.TotalMilliseconds,9:0.0} ms   {time / baseline,6:0.0}x baseline");
