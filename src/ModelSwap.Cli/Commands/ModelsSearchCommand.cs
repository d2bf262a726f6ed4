using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ModelSwap.Hub.HuggingFace;

namespace ModelSwap.Cli.Commands;

/// <summary>`modelswap models search QUERY`: GGUF models on Hugging Face (or HF_ENDPOINT).</summary>
internal static class ModelsSearchCommand
{
    public static Command Create()
    {
        var query = new Argument<string>("query") { Description = "Words to search for in model names." };
        var sort = new Option<string>("--sort")
        {
            Description = "Order: downloads, likes, lastModified or trendingScore.",
            DefaultValueFactory = _ => "downloads",
        };
        sort.AcceptOnlyFromAmong([.. HubSearchSortNames.All]);
        var limit = new Option<int>("--limit") { Description = "How many results (1-1000).", DefaultValueFactory = _ => 20 };
        limit.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 1000)
            {
                r.AddError("--limit must be between 1 and 1000.");
            }
        });
        var author = new Option<string?>("--author") { Description = "Only models of this user or organisation." };
        var format = ServiceOptions.Format();

        var command = new Command("search", "Search Hugging Face for GGUF models.");
        command.Arguments.Add(query);
        command.Options.Add(sort);
        command.Options.Add(limit);
        command.Options.Add(author);
        command.Options.Add(format);
        command.SetAction(async (parse, ct) =>
        {
            HubSearchSortNames.TryParse(parse.GetValue(sort), out var order);
            try
            {
                using var client = new HuggingFaceClient(HubOptions.FromEnvironment());
                var hits = await client.SearchAsync(parse.GetValue(query), order, parse.GetValue(limit), parse.GetValue(author), ct);
                if (parse.GetValue(format) == "json")
                {
                    Console.Out.WriteLine(JsonSerializer.Serialize(hits, ModelsCommand.Json));
                }
                else
                {
                    WriteTable(hits);
                }
                return ExitCodes.Ok;
            }
            catch (HubException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.Failure;
            }
            catch (HttpRequestException e)
            {
                Console.Error.WriteLine($"error: cannot reach the Hub: {e.Message}");
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    private static void WriteTable(IReadOnlyList<HubModelSummary> hits)
    {
        if (hits.Count == 0)
        {
            Console.Error.WriteLine("No GGUF models found.");
            return;
        }
        var table = new TextTable("MODEL", "DOWNLOADS", "LIKES", "UPDATED", "GATED");
        foreach (var hit in hits)
        {
            table.Add(
                hit.Id,
                hit.Downloads.ToString("N0", CultureInfo.InvariantCulture),
                hit.Likes.ToString("N0", CultureInfo.InvariantCulture),
                hit.LastModified?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                hit.Gated is null ? "no" : "yes");
        }
        table.WriteTo(Console.Out);
    }
}
