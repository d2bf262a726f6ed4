// Download benchmark: serves one large file from the local Hugging Face mirror and times
// DownloadManager (sha256 verified while writing, atomic rename) against `curl -o` on the same URL,
// alternating rounds in one run. Prints the median of each and the throughput ratio (target >= 0.9).
//
//   dotnet run -c Release --project bench/ModelSwap.Bench.Download -- [--size-mb 200] [--rounds 5]
//   … -- --serve [--size-mb 200]   only serve the file (prints HF_ENDPOINT) until Ctrl+C, to try
//                                  `modelswap models pull bench/Big-GGUF` by hand.
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using ModelSwap.Hub.Downloads;
using ModelSwap.Hub.HuggingFace;
using ModelSwap.Testing.HuggingFace;

var sizeMb = ReadArg(args, "--size-mb", 200);
var rounds = ReadArg(args, "--rounds", 5);
ThreadPool.SetMinThreads(64, 64);
var work = Path.Combine(Path.GetTempPath(), "modelswap-bench-download-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
Directory.CreateDirectory(work);
try
{
    var source = Path.Combine(work, "source.gguf");
    WriteRandomFile(source, sizeMb * 1024L * 1024L);
    await using var mirror = await HuggingFaceMirror.StartAsync();
    const string repo = "bench/Big-GGUF";
    const string file = "Big-Q4_K_M.gguf";
    var served = mirror.AddRepo(repo).AddFile(MirrorFile.FromDisk(file, source));
    var url = new Uri(mirror.Endpoint, $"{repo}/resolve/main/{file}");
    var hub = new HubOptions(mirror.Endpoint);
    if (args.Contains("--serve"))
    {
        Console.WriteLine($"HF_ENDPOINT={mirror.Endpoint}");
        var stop = new TaskCompletionSource();
        // The mirror's web hosts take over Ctrl+C handling, so listen to the signals directly.
        using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
        await stop.Task;
        return;
    }
    Console.Error.WriteLine($"file: {sizeMb} MiB, {rounds} rounds, url {url}");

    var ours = new List<double>();
    var oursNoSync = new List<double>();
    var curl = new List<double>();
    // One untimed round of each warms the JIT, the connection pool and the page cache of the source.
    await TimeOursAsync(hub, work, repo, served, flushToDisk: true);
    await TimeCurlAsync(url, work);
    for (var i = 0; i < rounds; i++)
    {
        // Rotate the order so no contender always gets the warmer (or busier) machine.
        var order = new Func<Task>[]
        {
            async () => curl.Add(await TimeCurlAsync(url, work)),
            async () => ours.Add(await TimeOursAsync(hub, work, repo, served, flushToDisk: true)),
            async () => oursNoSync.Add(await TimeOursAsync(hub, work, repo, served, flushToDisk: false)),
        };
        for (var k = 0; k < order.Length; k++)
        {
            await order[(i + k) % order.Length]();
        }
        Console.Error.WriteLine($"round {i + 1}: modelswap {ours[^1]:0.000} s, modelswap without fsync {oursNoSync[^1]:0.000} s, curl {curl[^1]:0.000} s");
    }
    var mib = (double)sizeMb;
    var curlMedian = Median(curl);
    Console.WriteLine($"curl -o                                   : median {curlMedian:0.000} s, {mib / curlMedian:0} MiB/s");
    foreach (var (name, times) in new[] { ("modelswap (sha256 + fsync, the default)", ours), ("modelswap (sha256, FlushToDisk=false)", oursNoSync) })
    {
        var median = Median(times);
        Console.WriteLine($"{name,-42}: median {median:0.000} s, {mib / median:0} MiB/s, ratio vs curl {curlMedian / median:0.00}x (target >= 0.90x)");
    }
}
finally
{
    Directory.Delete(work, recursive: true);
}

static async Task<double> TimeOursAsync(HubOptions hub, string work, string repo, MirrorFile served, bool flushToDisk)
{
    var dir = Path.Combine(work, "ours");
    await using var manager = new DownloadManager(new DownloadManagerOptions(dir) { FlushToDisk = flushToDisk }, hub);
    var watch = Stopwatch.StartNew();
    var job = manager.Enqueue(new DownloadRequest(repo, "main", [new DownloadFile(served.Path, served.Size, served.Sha256)]));
    var status = await job.Completion;
    watch.Stop();
    if (status.State != DownloadState.Completed)
    {
        throw new InvalidOperationException($"download failed: {status.Error}");
    }
    Directory.Delete(dir, recursive: true);
    return watch.Elapsed.TotalSeconds;
}

static async Task<double> TimeCurlAsync(Uri url, string work)
{
    var output = Path.Combine(work, "curl.gguf");
    var info = new ProcessStartInfo("curl") { UseShellExecute = false, RedirectStandardError = true };
    foreach (var arg in new[] { "-sS", "-L", "--fail", "-o", output, url.AbsoluteUri })
    {
        info.ArgumentList.Add(arg);
    }
    var watch = Stopwatch.StartNew();
    using var process = Process.Start(info)!;
    var stderr = process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    watch.Stop();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"curl failed ({process.ExitCode}): {await stderr}");
    }
    File.Delete(output);
    return watch.Elapsed.TotalSeconds;
}

static void WriteRandomFile(string path, long size)
{
    var random = new Random(42);
    var buffer = new byte[1 << 20];
    using var stream = File.Create(path);
    for (long written = 0; written < size; written += buffer.Length)
    {
        random.NextBytes(buffer);
        stream.Write(buffer, 0, (int)Math.Min(buffer.Length, size - written));
    }
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static int ReadArg(string[] args, string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
}
