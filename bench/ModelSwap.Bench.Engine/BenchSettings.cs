using System.Globalization;

namespace ModelSwap.Bench.Engine;

/// <summary>
/// Command-line settings: `[--runs N] [--tokens N] [--quick] [--threads 1,2] [--llama-server PATH]
/// [--engine NAME=DIR]… [--natives NAME=DIR]… [--only single|parallel|startup] [--parallel-threads N]`. An `--engine` adds another build of `modelswap` (a folder holding its
/// apphost, e.g. a copy of an earlier commit's bin/Release/net10.0) measured interleaved with this one; a
/// `--natives` adds this build again with `--native-dir DIR` (DIR `prebuilt`: LLamaSharp's own libraries).
/// </summary>
internal sealed record BenchSettings
{
    /// <summary>Measured runs per figure (after one warm-up run); medians are reported.</summary>
    public int Runs { get; init; } = 5;

    /// <summary>Tokens generated per request in the throughput figures.</summary>
    public int Tokens { get; init; } = 128;

    /// <summary>Thread counts compared; both sides get the same one. Default: 1 and the machine's core count.</summary>
    public IReadOnlyList<int> Threads { get; init; } = Environment.ProcessorCount > 1 ? [1, Environment.ProcessorCount] : [1];

    /// <summary>The llama-server binary; else LLAMA_SERVER (bench/run.sh sets it the way scripts/test.sh finds it).</summary>
    public string? LlamaServer { get; init; } = Environment.GetEnvironmentVariable("LLAMA_SERVER") is { Length: > 0 } path ? path : null;

    /// <summary>Extra engine builds, by name: folders holding a `modelswap` apphost.</summary>
    public IReadOnlyList<(string Name, string Directory)> ExtraEngines { get; init; } = [];

    /// <summary>This engine again with other llama.cpp libraries, by name: a --native-dir value each.</summary>
    public IReadOnlyList<(string Name, string NativeDir)> Natives { get; init; } = [];

    /// <summary>
    /// Threads of both sides in the 4-stream figures; null keeps each side's default. On a machine loaded
    /// past its cores, 2 threads crawl at ~1 tok/s on both sides (each spins at ggml's barrier while the
    /// other is descheduled), so a 4-stream run there needs 1.
    /// </summary>
    public int? ParallelThreads { get; init; }

    /// <summary>Runs only this part (single, parallel or startup); null: all of them.</summary>
    public string? Only { get; init; }

    /// <summary>The same text for every generation on both sides.</summary>
    public const string Prompt = "The quick brown fox jumps over the lazy dog. Once upon a time, in a small village by the sea, there lived";

    public static BenchSettings FromArgs(string[] args)
    {
        var settings = new BenchSettings();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    settings = settings with { Runs = 2 };
                    break;
                case "--runs" when i + 1 < args.Length && int.TryParse(args[i + 1], out var runs) && runs > 0:
                    settings = settings with { Runs = runs };
                    i++;
                    break;
                case "--tokens" when i + 1 < args.Length && int.TryParse(args[i + 1], out var tokens) && tokens > 1:
                    settings = settings with { Tokens = tokens };
                    i++;
                    break;
                case "--threads" when i + 1 < args.Length:
                    settings = settings with { Threads = ParseThreads(args[++i]) };
                    break;
                case "--llama-server" when i + 1 < args.Length:
                    settings = settings with { LlamaServer = Path.GetFullPath(args[++i]) };
                    break;
                case "--engine" when i + 1 < args.Length && args[i + 1].Split('=', 2) is [{ Length: > 0 } name, { Length: > 0 } dir]:
                    settings = settings with { ExtraEngines = [.. settings.ExtraEngines, (name, Path.GetFullPath(dir))] };
                    i++;
                    break;
                case "--natives" when i + 1 < args.Length && args[i + 1].Split('=', 2) is [{ Length: > 0 } name, { Length: > 0 } dir]:
                    settings = settings with { Natives = [.. settings.Natives, (name, dir == "prebuilt" ? dir : Path.GetFullPath(dir))] };
                    i++;
                    break;
                case "--only" when i + 1 < args.Length && args[i + 1] is "single" or "parallel" or "startup":
                    settings = settings with { Only = args[++i] };
                    break;
                case "--parallel-threads" when i + 1 < args.Length && int.TryParse(args[i + 1], out var parallelThreads) && parallelThreads > 0:
                    settings = settings with { ParallelThreads = parallelThreads };
                    i++;
                    break;
                case "engine" or "all" or "":
                    break; // bench/run.sh passes the benchmark's name through
                default:
                    throw new ArgumentException($"unknown or incomplete argument '{args[i]}' (expected --runs N, --tokens N, --quick, --threads 1,2, --llama-server PATH, --engine NAME=DIR, --natives NAME=DIR|prebuilt, --only single|parallel|startup, --parallel-threads N)");
            }
        }
        return settings;
    }

    private static int[] ParseThreads(string list)
    {
        var counts = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n
                : throw new ArgumentException($"--threads: '{part}' is not a positive thread count"))
            .ToArray();
        return counts.Length > 0 ? counts : throw new ArgumentException("--threads: give at least one count, e.g. 1,2");
    }
}
