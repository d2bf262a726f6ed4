using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ModelSwap.Core.Catalog;

namespace ModelSwap.Cli.Commands;

/// <summary>
/// `modelswap models list [--models-dir DIR]… [--format json|table] [--url URL]`: the models the
/// folders hold, by the names and aliases they are served under, and whether the running service
/// (if any) has them loaded.
/// </summary>
internal static class ModelsListCommand
{
    public static Command Create()
    {
        var modelsDirs = ModelsDirsOption();
        var format = ServiceOptions.Format();
        var url = ServiceOptions.Url();
        var command = new Command("list", "List the models in the models folders: name, aliases, file, size, architecture, parameters, quantization, context, loaded.")
        {
            modelsDirs, format, url,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (DiscoveryArguments.Options(parse.GetValue(modelsDirs), Console.Error, createDefault: false) is not { } options)
            {
                return ExitCodes.InvalidInput;
            }
            // The command each model runs with is not shown here, so no llama-server search is needed.
            var generation = await new CatalogGenerator(options with { LlamaServer = CatalogGenerator.EngineSetting })
                .GenerateAsync(write: false, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var warning in generation.Warnings)
            {
                Console.Error.WriteLine($"warning: {warning}");
            }
            var loaded = await LoadedAsync(parse.GetValue(url)!, cancellationToken).ConfigureAwait(false);
            var rows = generation.Scan.Models.Select(m => Row(m, generation, loaded)).ToList();
            if (parse.GetValue(format) == "json")
            {
                Console.Out.WriteLine(new JsonArray([.. rows]).ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
                return ExitCodes.Ok;
            }
            if (rows.Count == 0)
            {
                Console.Error.WriteLine($"No models in {string.Join(", ", options.ModelDirectories)}: put .gguf files there.");
                return ExitCodes.Ok;
            }
            // Plain aligned columns (like `ollama list`): readable in a terminal of any width and in a pipe.
            var lines = new List<string[]> { new[] { "NAME", "ALIASES", "FILE", "SIZE", "ARCH", "PARAMS", "QUANT", "CTX", "LOADED" } };
            foreach (var (row, model) in rows.Zip(generation.Scan.Models))
            {
                lines.Add(
                [
                    model.Name + (row["disabled"]!.GetValue<bool>() ? " (disabled)" : ""),
                    model.Aliases.IsEmpty ? "-" : string.Join(",", model.Aliases),
                    Relative(model.Path, options.ModelDirectories),
                    ModelsCommand.FormatBytes(model.SizeBytes),
                    model.Architecture ?? "-",
                    model.ParameterCount is { } p ? FormatParameters(p) : "-",
                    model.Quantization ?? "-",
                    row["contextSize"]!.ToString(),
                    loaded is null ? "?" : loaded.Contains(model.Name) ? "yes" : "no",
                ]);
            }
            var widths = Enumerable.Range(0, lines[0].Length).Select(c => lines.Max(l => l[c].Length)).ToArray();
            foreach (var line in lines)
            {
                Console.Out.WriteLine(string.Join("   ", line.Select((cell, c) => c == line.Length - 1 ? cell : cell.PadRight(widths[c]))));
            }
            if (loaded is null)
            {
                Console.Error.WriteLine($"(no ModelSwap service answers at {parse.GetValue(url)}: LOADED is unknown)");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>`--models-dir DIR`, repeatable; none means MODELSWAP_MODELS_DIR or ~/.clara/llama-models.</summary>
    public static Option<string[]> ModelsDirsOption() => new("--models-dir")
    {
        Description = "A models folder (repeatable; default: $MODELSWAP_MODELS_DIR or ~/.clara/llama-models).",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    private static JsonObject Row(DiscoveredModel model, CatalogGeneration generation, IReadOnlySet<string>? loaded)
    {
        var own = generation.Overrides.Models.GetValueOrDefault(model.Name);
        return new JsonObject
        {
            ["name"] = model.Name,
            ["aliases"] = new JsonArray([.. model.Aliases.Select(a => (JsonNode?)JsonValue.Create(a))]),
            ["file"] = model.Path,
            ["files"] = new JsonArray([.. model.Files.Select(f => (JsonNode?)JsonValue.Create(f))]),
            ["projector"] = model.ProjectorPath,
            ["sizeBytes"] = model.SizeBytes,
            ["architecture"] = model.Architecture,
            ["parameters"] = model.ParameterCount,
            ["quantization"] = model.Quantization,
            ["contextSize"] = generation.Contexts.GetValueOrDefault(model.Name)?.Size ?? own?.ContextSize ?? ConfigGenerator.ContextSizeFor(model, generation.Settings),
            ["trainedContext"] = model.ContextLength,
            ["embedding"] = model.IsEmbedding,
            ["chatTemplate"] = model.HasChatTemplate,
            ["disabled"] = own?.Disabled ?? false,
            ["addedAt"] = model.AddedAt,
            ["loaded"] = loaded is null ? null : loaded.Contains(model.Name),
        };
    }

    /// <summary>Models the service at <paramref name="url"/> runs; null when none answers (it may simply not be running).</summary>
    internal static async Task<IReadOnlySet<string>?> LoadedAsync(Uri url, CancellationToken cancellationToken)
    {
        using var client = ServiceOptions.Client(url, TimeSpan.FromSeconds(2));
        try
        {
            var running = await client.GetFromJsonAsync<JsonObject>("/running", cancellationToken).ConfigureAwait(false);
            return running?["running"]?.AsArray().Select(r => r?["model"]?.GetValue<string>()).OfType<string>().ToHashSet(StringComparer.Ordinal);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string Relative(string path, IReadOnlyList<string> roots) =>
        roots.Select(r => Path.GetRelativePath(r, path)).Where(r => !r.StartsWith("..", StringComparison.Ordinal)).MinBy(r => r.Length) ?? path;

    internal static string FormatParameters(long count) => count switch
    {
        >= 1_000_000_000 => (count / 1e9).ToString("0.#", CultureInfo.InvariantCulture) + "B",
        >= 1_000_000 => (count / 1e6).ToString("0.#", CultureInfo.InvariantCulture) + "M",
        >= 1_000 => (count / 1e3).ToString("0.#", CultureInfo.InvariantCulture) + "K",
        _ => count.ToString(CultureInfo.InvariantCulture),
    };
}
