using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ModelSwap.Gateway.Management;
using ModelSwap.Gateway.Swapping;

namespace ModelSwap.Cli.Commands;

/// <summary>
/// `modelswap models list [--models-dir DIR]… [--format json|table] [--url URL]`: the models the
/// folders hold, by the names and aliases they are served under (the same inventory the service
/// lists), and whether the running service (found by <see cref="ServiceUrl"/>'s rule) has them loaded.
/// </summary>
internal static class ModelsListCommand
{
    /// <summary>The LOADED cell when no service answers: one word; the reason goes to stderr once.</summary>
    internal const string Unknown = "unknown";

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
            if (DiscoveryArguments.Options(parse.GetValue(modelsDirs), Console.Error, createDefault: false) is not { } options
                || ServiceUrl.Resolve(parse.GetValue(url), Console.Error) is not { } service)
            {
                return ExitCodes.InvalidInput;
            }
            var (generation, models) = await OfflineInventory.BuildAsync(options, cancellationToken).ConfigureAwait(false);
            foreach (var warning in generation.Warnings)
            {
                Console.Error.WriteLine($"warning: {warning}");
            }
            var (live, why) = await LiveAsync(service, cancellationToken).ConfigureAwait(false);
            var rows = models.Select(m => Row(m, generation.Overrides.Models.GetValueOrDefault(m.Id)?.Disabled ?? false, live)).ToList();
            if (why is not null)
            {
                Console.Error.WriteLine($"LOADED is {Unknown}: {why}");
            }
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
            var table = new TextTable("NAME", "ALIASES", "FILE", "SIZE", "ARCH", "PARAMS", "QUANT", "CTX", "LOADED");
            foreach (var (row, model) in rows.Zip(models))
            {
                var files = model.Files!;
                table.Add(
                    model.Id + (row["disabled"]!.GetValue<bool>() ? " (disabled)" : ""),
                    model.Aliases.IsDefaultOrEmpty ? "-" : string.Join(",", model.Aliases),
                    Relative(files.Path, options.ModelDirectories),
                    ModelsCommand.FormatBytes(files.SizeBytes),
                    files.Architecture,
                    files.Parameters is { } p ? FormatParameters(p) : null,
                    files.Quantization,
                    files.ContextSize?.ToString(CultureInfo.InvariantCulture),
                    live is null ? Unknown : LoadedWord(live.GetValueOrDefault(model.Id)));
            }
            table.WriteTo(Console.Out);
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

    private static string LoadedWord(ModelLiveView? live) => live?.State switch
    {
        ModelState.Ready => "yes",
        ModelState.Starting => "starting",
        ModelState.Stopping => "stopping",
        _ => "no",
    };

    /// <summary>The service's live state by model id; null with the reason when no service answers.</summary>
    private static async Task<(IReadOnlyDictionary<string, ModelLiveView>? Live, string? Why)> LiveAsync(ServiceUrl service, CancellationToken cancellationToken)
    {
        // A refused connection fails at once; a busy service (first scan, a loaded machine) gets time to answer.
        using var client = new ManagementClient(service, TimeSpan.FromSeconds(15));
        try
        {
            var models = await client.ListAsync(cancellationToken).ConfigureAwait(false);
            return (models.Where(m => m.Served).ToDictionary(m => m.Id, m => m.Live, StringComparer.Ordinal), null);
        }
        catch (Exception ex) when (ex is ServiceUnreachableException or ServiceErrorException)
        {
            return (null, ex is ServiceUnreachableException ? $"no ModelSwap service answers at {service}" : $"the service at {service} answered: {ex.Message}");
        }
    }

    private static JsonObject Row(ModelInfo model, bool disabled, IReadOnlyDictionary<string, ModelLiveView>? live)
    {
        var files = model.Files!;
        return new JsonObject
        {
            ["name"] = model.Id,
            ["aliases"] = new JsonArray([.. model.Aliases.Select(a => (JsonNode?)JsonValue.Create(a))]),
            ["file"] = files.Path,
            ["files"] = new JsonArray([.. files.Parts.Select(f => (JsonNode?)JsonValue.Create(f))]),
            ["projector"] = files.Projector,
            ["sizeBytes"] = files.SizeBytes,
            ["architecture"] = files.Architecture,
            ["parameters"] = files.Parameters,
            ["quantization"] = files.Quantization,
            ["contextSize"] = files.ContextSize,
            ["trainedContext"] = files.TrainedContext,
            ["embedding"] = files.Embedding,
            ["chatTemplate"] = files.ChatTemplate,
            ["disabled"] = disabled,
            ["served"] = model.Served,
            ["origin"] = model.Origin?.Source,
            ["addedAt"] = files.AddedAt,
            ["loaded"] = live is null ? null : live.GetValueOrDefault(model.Id)?.State == ModelState.Ready,
        };
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
