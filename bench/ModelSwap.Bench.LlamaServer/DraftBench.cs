using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ModelSwap.Bench.LlamaServer;

/// <summary>
/// Generation speed through ModelSwap with and without a draft model: the same prompt and settings
/// (greedy, a fixed number of tokens, llama-server's default draft settings) for each of the three
/// targets in <see cref="DraftModels"/>, in interleaved rounds (the order rotates every round, so
/// neither gains from going first after a swap); medians over the rounds, and the drafted medians
/// as ratios of the undrafted one measured in the same run.
/// </summary>
internal static class DraftBench
{
    private const string Prompt = "Hello world, the story";

    private sealed record Run(double WallTokensPerSecond, double ServerTokensPerSecond, long Drafted, long Accepted);

    public static async Task RunAsync(HttpClient client, DraftModels models, int tokens, int rounds)
    {
        string[] order = [models.Plain, models.WithF16Draft, models.WithCutDraft];
        var runs = order.ToDictionary(m => m, _ => new List<Run>());
        for (var round = 0; round < rounds; round++)
        {
            for (var k = 0; k < order.Length; k++)
            {
                var model = order[(round + k) % order.Length];
                // Loads the model (a swap) and warms it; only the next request is timed.
                await CompleteAsync(client, model, 4);
                runs[model].Add(await CompleteAsync(client, model, tokens));
            }
        }

        var plain = Median(runs[models.Plain], r => r.ServerTokensPerSecond);
        var plainWall = Median(runs[models.Plain], r => r.WallTokensPerSecond);
        Console.WriteLine();
        Console.WriteLine($"generation through ModelSwap, {tokens} tokens, greedy, prompt \"{Prompt}\", llama-server's default draft settings;");
        Console.WriteLine($"medians of {rounds} interleaved rounds. Target: Bench-size (8 layers, 32k vocabulary), F32, {models.TargetBytes / 1_048_576} MiB.");
        Console.WriteLine($"  {"",-44} {"generation",12} {"ratio",7} {"wall clock",12} {"ratio",7}  draft acceptance");
        Row("without a draft", runs[models.Plain]);
        Row($"draft: same weights at F16 ({models.F16Bytes / 1_048_576} MiB)", runs[models.WithF16Draft]);
        Row($"draft: first {models.CutLayers} of 8 layers, F16 ({models.CutBytes / 1_048_576} MiB)", runs[models.WithCutDraft]);
        Console.WriteLine("  generation = llama-server's own tokens/s (timings.predicted_per_second); wall clock = completion tokens / request time;");
        Console.WriteLine("  ratio = tokens/s / the same median without a draft, measured in this run.");

        void Row(string label, List<Run> list)
        {
            var rate = Median(list, r => r.ServerTokensPerSecond);
            var wall = Median(list, r => r.WallTokensPerSecond);
            long drafted = list.Sum(r => r.Drafted), accepted = list.Sum(r => r.Accepted);
            var acceptance = drafted > 0
                ? string.Create(CultureInfo.InvariantCulture, $"{100.0 * accepted / drafted:0.#} % ({accepted}/{drafted})")
                : "-";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {label,-44} {rate,8:0.0} t/s {rate / plain,6:0.00}x {wall,8:0.0} t/s {wall / plainWall,6:0.00}x  {acceptance}"));
        }
    }

    private static async Task<Run> CompleteAsync(HttpClient client, string model, int tokens)
    {
        var body = new { model, prompt = Prompt, max_tokens = tokens, temperature = 0, top_k = 1, ignore_eos = true };
        var clock = Stopwatch.StartNew();
        using var response = await client.PostAsJsonAsync("/v1/completions", body);
        var text = await response.Content.ReadAsStringAsync();
        clock.Stop();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{model}: {(int)response.StatusCode} {text}");
        }
        var json = JsonNode.Parse(text)!;
        var produced = json["usage"]!["completion_tokens"]!.GetValue<long>();
        var timings = json["timings"];
        return new Run(
            produced / clock.Elapsed.TotalSeconds,
            timings?["predicted_per_second"]?.GetValue<double>() ?? double.NaN,
            timings?["draft_n"]?.GetValue<long>() ?? 0,
            timings?["draft_n_accepted"]?.GetValue<long>() ?? 0);
    }

    private static double Median(List<Run> runs, Func<Run, double> value) => Tools.Median([.. runs.Select(value)]);
}
