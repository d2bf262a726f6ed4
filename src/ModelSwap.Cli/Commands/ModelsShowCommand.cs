using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using ModelSwap.Core.Catalog;
using ModelSwap.Core.Catalog.Gguf;

namespace ModelSwap.Cli.Commands;

/// <summary>
/// `modelswap models show NAME [--models-dir DIR]… [--format text|json]`: one model in full: its
/// files, every GGUF metadata key (long arrays such as vocabularies summarised by their length),
/// the chat template, and the command the generated config runs it with.
/// </summary>
internal static class ModelsShowCommand
{
    /// <summary>Arrays longer than this are shown as their length and first items, not in full.</summary>
    private const int ArrayItemsShown = 16;

    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "Model name (as `models list` shows it), an alias, or the file name." };
        var modelsDirs = ModelsListCommand.ModelsDirsOption();
        var format = new Option<string>("--format") { Description = "Output format: text or json.", DefaultValueFactory = _ => "text" };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("show", "Show a model's GGUF metadata, chat template and server command.") { name, modelsDirs, format };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (DiscoveryArguments.Options(parse.GetValue(modelsDirs), Console.Error, createDefault: false) is not { } options)
            {
                return ExitCodes.InvalidInput;
            }
            var generation = await new CatalogGenerator(options).GenerateAsync(write: false, cancellationToken: cancellationToken).ConfigureAwait(false);
            var wanted = parse.GetValue(name)!;
            var model = Find(generation.Scan.Models, wanted);
            if (model is null)
            {
                var known = generation.Scan.Models.Select(m => m.Name).ToList();
                Console.Error.WriteLine($"error: no model '{wanted}' in {string.Join(", ", options.ModelDirectories)}" +
                    (known.Count > 0 ? $"; models: {string.Join(", ", known)}" : "; the folders hold no models"));
                return ExitCodes.InvalidInput;
            }
            GgufFile header;
            try
            {
                header = GgufReader.Read(model.Path);
            }
            catch (Exception ex) when (ex is GgufFormatException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return ExitCodes.Failure;
            }
            var own = generation.Overrides.Models.GetValueOrDefault(model.Name) ?? new ModelOverride();
            var choice = generation.Contexts.GetValueOrDefault(model.Name)
                ?? new ContextChoice(own.ContextSize ?? ConfigGenerator.ContextSizeFor(model, generation.Settings), "", Auto: false);
            var draft = generation.Settings.LlamaServerPath is null ? null : ConfigGenerator.DraftFor(own, generation.Scan.Models);
            var cmd = ConfigGenerator.CommandFor(model, own, generation.Settings, choice.Size, draft);
            var drafts = DraftSuggestions.For(model, generation.Scan.Models).Select(m => m.Name).ToList();
            Console.Out.Write(parse.GetValue(format) == "json" ? Json(model, header, cmd, choice, drafts) : Text(model, header, cmd, choice, drafts));
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>By name, then alias, then file name (with or without .gguf).</summary>
    internal static DiscoveredModel? Find(IReadOnlyList<DiscoveredModel> models, string wanted) =>
        models.FirstOrDefault(m => m.Name == wanted)
        ?? models.FirstOrDefault(m => m.Aliases.Contains(wanted))
        ?? models.FirstOrDefault(m => m.Files.Any(f => Path.GetFileName(f) == wanted || Path.GetFileNameWithoutExtension(f) == wanted));

    private static string Text(DiscoveredModel model, GgufFile header, string cmd, ContextChoice choice, IReadOnlyList<string> drafts)
    {
        var context = choice.Size;
        var text = new StringBuilder();
        text.AppendLine($"name:          {model.Name}");
        text.AppendLine($"aliases:       {(model.Aliases.IsEmpty ? "-" : string.Join(", ", model.Aliases))}");
        foreach (var file in model.Files)
        {
            text.AppendLine($"file:          {file}");
        }
        text.AppendLine($"projector:     {model.ProjectorPath ?? "-"}");
        text.AppendLine($"size:          {ModelsCommand.FormatBytes(model.SizeBytes)} ({model.SizeBytes} bytes)");
        text.AppendLine($"architecture:  {model.Architecture ?? "-"}");
        text.AppendLine($"parameters:    {(model.ParameterCount is { } p ? ModelsListCommand.FormatParameters(p) : "-")}");
        text.AppendLine($"quantization:  {model.Quantization ?? "-"}");
        text.AppendLine($"context:       {context} (trained: {model.ContextLength?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"})");
        if (choice.Reason.Length > 0)
        {
            text.AppendLine($"context why:   {choice.Reason}");
        }
        text.AppendLine($"kind:          {(model.IsReranker ? "reranker" : model.IsEmbedding ? "embedding" : model.IsInstruct ? "chat/instruct" : "base (completion)")}");
        text.AppendLine($"drafts:        {(drafts.Count == 0 ? "-" : string.Join(", ", drafts) + $"  (models.yaml: models.\"{model.Name}\".draft: NAME)")}");
        text.AppendLine($"tensors:       {header.Tensors.Count} (GGUF v{header.Version}, data at byte {header.DataOffset})");
        text.AppendLine($"cmd:           {cmd}");
        text.AppendLine();
        text.AppendLine("metadata:");
        foreach (var (key, value) in header.Metadata.Where(p => p.Key != "tokenizer.chat_template"))
        {
            text.AppendLine($"  {key} = {Describe(value)}");
        }
        text.AppendLine();
        text.AppendLine(header.GetString("tokenizer.chat_template") is { Length: > 0 } template ? "chat template:" : "chat template: none");
        if (header.GetString("tokenizer.chat_template") is { Length: > 0 } shown)
        {
            text.AppendLine(shown);
        }
        return text.ToString();
    }

    private static string Json(DiscoveredModel model, GgufFile header, string cmd, ContextChoice choice, IReadOnlyList<string> drafts)
    {
        var context = choice.Size;
        var metadata = new JsonObject();
        foreach (var (key, value) in header.Metadata.Where(p => p.Key != "tokenizer.chat_template"))
        {
            metadata[key] = value.Value is GgufArray array && array.Count > ArrayItemsShown
                ? new JsonObject { ["type"] = $"array of {array.ElementType}", ["count"] = array.Count }
                : JsonValue.Create(Describe(value));
        }
        var json = new JsonObject
        {
            ["name"] = model.Name,
            ["aliases"] = new JsonArray([.. model.Aliases.Select(a => (JsonNode?)JsonValue.Create(a))]),
            ["files"] = new JsonArray([.. model.Files.Select(f => (JsonNode?)JsonValue.Create(f))]),
            ["projector"] = model.ProjectorPath,
            ["sizeBytes"] = model.SizeBytes,
            ["architecture"] = model.Architecture,
            ["parameters"] = model.ParameterCount,
            ["quantization"] = model.Quantization,
            ["contextSize"] = context,
            ["contextAuto"] = choice.Auto,
            ["contextReason"] = choice.Reason,
            ["trainedContext"] = model.ContextLength,
            ["embedding"] = model.IsEmbedding,
            ["instruct"] = model.IsInstruct,
            ["reranker"] = model.IsReranker,
            ["pooling"] = model.Pooling?.ToString().ToLowerInvariant(),
            // Smaller models of the same family with the same vocabulary, for models.yaml's `draft:`.
            ["draftSuggestions"] = new JsonArray([.. drafts.Select(d => (JsonNode?)JsonValue.Create(d))]),
            ["tensorCount"] = header.Tensors.Count,
            ["cmd"] = cmd,
            ["metadata"] = metadata,
            ["chatTemplate"] = header.GetString("tokenizer.chat_template"),
        };
        return json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>A value as text; a long array (a vocabulary, merges, scores) as its type, length and first items.</summary>
    private static string Describe(GgufValue value)
    {
        if (value.Value is not GgufArray array)
        {
            return value.ToString();
        }
        if (array.Count <= ArrayItemsShown)
        {
            return "[" + string.Join(", ", Enumerable.Range(0, array.Count).Select(i => array[i].ToString())) + "]";
        }
        var first = string.Join(", ", Enumerable.Range(0, 4).Select(i => Quote(array[i].ToString())));
        return $"<{array.Count} {array.ElementType} items: {first}, …>";
    }

    private static string Quote(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
