namespace ModelSwap.Bench.Engine;

/// <summary>Command-line settings: `[--runs N] [--tokens N] [--quick] [--node-dir DIR]`.</summary>
internal sealed record BenchSettings
{
    /// <summary>Measured runs per figure (after one warm-up run); medians are reported.</summary>
    public int Runs { get; init; } = 5;

    /// <summary>Tokens generated per request in the throughput figures.</summary>
    public int Tokens { get; init; } = 128;

    /// <summary>The folder holding generate.mjs and node_modules with node-llama-cpp.</summary>
    public string? NodeDirectory { get; init; }

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
                case "--node-dir" when i + 1 < args.Length:
                    settings = settings with { NodeDirectory = Path.GetFullPath(args[++i]) };
                    break;
                case "engine" or "all" or "":
                    break; // bench/run.sh passes the benchmark's name through
                default:
                    throw new ArgumentException($"unknown or incomplete argument '{args[i]}' (expected --runs N, --tokens N, --quick, --node-dir DIR)");
            }
        }
        return settings;
    }
}
