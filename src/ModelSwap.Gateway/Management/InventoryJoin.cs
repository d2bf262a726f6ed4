using System.Collections.Immutable;
using System.Globalization;
using ModelSwap.Core.Catalog;
using ModelSwap.Core.Configuration;
using ModelSwap.Gateway.Swapping;

namespace ModelSwap.Gateway.Management;

/// <summary>
/// The one join behind every model listing: config entries, the scan of the models folders, the
/// manifest's origins and the coordinator's live state, into <see cref="ModelInfo"/>s. Pure: the
/// service and the CLI (offline, with the config the service would generate) call it with the same
/// inputs and get the same ids, aliases, files and sizes.
/// A config entry gets the scanned model whose file its command names (generated commands name it
/// with <c>-m</c>/<c>--model</c>; a user's config does the same); scanned models no entry names are
/// listed as not served under their scan name.
/// </summary>
internal static class InventoryJoin
{
    public static IReadOnlyList<ModelInfo> Build(InventoryInputs inputs)
    {
        var scanned = inputs.Generation?.Scan.Models ?? [];
        var byPath = new Dictionary<string, DiscoveredModel>(StringComparer.Ordinal);
        foreach (var model in scanned)
        {
            foreach (var file in model.Files.Prepend(model.Path))
            {
                byPath.TryAdd(Path.GetFullPath(file), model);
            }
        }
        var statuses = inputs.Statuses.ToDictionary(s => s.ModelId, StringComparer.Ordinal);
        var used = new HashSet<DiscoveredModel>();
        var result = new List<ModelInfo>();
        foreach (var (id, model) in inputs.Config.Models)
        {
            var file = FileNamedBy(model.Command, byPath);
            if (file is not null)
            {
                used.Add(file);
            }
            var files = file is not null ? FilesView(file, ContextSizeOf(model.Command), inputs)
                : LooseFile(model.Command) is { } loose ? LooseView(loose, ContextSizeOf(model.Command)) : null;
            var live = statuses.TryGetValue(id, out var status) ? LiveView(status, model, inputs.ResidentBytes) : ModelLiveView.Stopped with { Port = PortOf(model) };
            result.Add(new ModelInfo(id, Served: true, Listed: !model.Unlisted, ConfigView(inputs.Config, model), files,
                files is null ? null : inputs.OriginOf(files.Path), live));
        }
        foreach (var model in scanned.Where(m => !used.Contains(m)).OrderBy(m => m.Name, StringComparer.Ordinal))
        {
            var view = FilesView(model, null, inputs);
            result.Add(new ModelInfo(model.Name, Served: false, Listed: false, Config: null, view, inputs.OriginOf(view.Path), ModelLiveView.Stopped));
        }
        return result;
    }

    /// <summary>
    /// A model by id or alias; else by its files: the name the scan gives them, a full path, a file
    /// name, or a file name without <c>.gguf</c> and split suffix (case-insensitive). Served models win over unserved
    /// entries for the same file. Null when nothing matches; ambiguous names are an error.
    /// </summary>
    public static ModelInfo? Find(IReadOnlyList<ModelInfo> models, ModelSwapConfig config, string name)
    {
        var id = config.ResolveModelId(name) ?? name;
        if ((models.FirstOrDefault(m => m.Served && m.Id == id) ?? models.FirstOrDefault(m => m.Id == name)) is { } byId)
        {
            return byId;
        }
        var fullPath = Path.IsPathFullyQualified(name) ? Path.GetFullPath(name) : null;
        var matches = models
            .Where(m => m.Files is { } files && (files.DiscoveredName == name || files.Parts.Any(part => fullPath is not null ? part == fullPath : FileNamed(part, name))))
            .OrderByDescending(m => m.Served)
            .ToList();
        var distinctFiles = matches.Select(m => m.Files!.Path).Distinct(StringComparer.Ordinal).ToList();
        if (distinctFiles.Count > 1)
        {
            throw new ManagementException(ManagementFailure.InvalidRequest, "ambiguous_model",
                $"'{name}' matches {distinctFiles.Count} model files; name the model by its id or give the full path: {string.Join(", ", distinctFiles)}");
        }
        return matches.FirstOrDefault();
    }

    private static bool FileNamed(string path, string name)
    {
        var fileName = Path.GetFileName(path);
        return string.Equals(fileName, name, StringComparison.OrdinalIgnoreCase)
            || string.Equals(GgufNames.Stem(fileName), name, StringComparison.OrdinalIgnoreCase)
            || (name.Contains('/') && path.EndsWith("/" + name.TrimStart('.', '/'), StringComparison.Ordinal));
    }

    /// <summary>
    /// What runs the model: llama-server by its program name, the built-in engine by its <c>engine</c>
    /// verb right after a <c>modelswap</c> program, anything else is a custom command.
    /// </summary>
    public static string RuntimeOf(ImmutableArray<string> command)
    {
        if (command.IsDefaultOrEmpty)
        {
            return ModelRuntimes.Custom;
        }
        var program = Path.GetFileNameWithoutExtension(command[0]);
        if (program.StartsWith("llama-server", StringComparison.OrdinalIgnoreCase))
        {
            return ModelRuntimes.LlamaServer;
        }
        for (var i = 0; i + 1 < command.Length && i < 2; i++)
        {
            if (Path.GetFileNameWithoutExtension(command[i]).Equals("modelswap", StringComparison.OrdinalIgnoreCase) && command[i + 1] == "engine")
            {
                return ModelRuntimes.Engine;
            }
        }
        return ModelRuntimes.Custom;
    }

    private static ModelConfigView ConfigView(ModelSwapConfig config, ModelConfig model) => new(
        model.Name,
        model.Description,
        model.Aliases.IsDefault ? [] : model.Aliases,
        config.GroupOf(model.Id).Id,
        (long)config.TtlOf(model).TotalSeconds,
        RuntimeOf(model.Command),
        // Shown to clients: ${env.…} values and key arguments redacted.
        [.. new SecretRedactor(config).RedactCommand(model.Command)],
        model.Proxy.ToString(),
        PortOf(model),
        model.ConcurrencyLimit,
        model.Metadata?.DeepClone().AsObject());

    internal static int? PortOf(ModelConfig model) => model.Port ?? (model.Proxy.IsDefaultPort ? null : model.Proxy.Port);

    internal static ModelLiveView LiveView(ModelStatus status, ModelConfig model, Func<int, long?> residentBytes) => new(
        status.State,
        status.Pid,
        PortOf(model),
        status.ReadySince,
        status.LastUsed,
        status.InFlight,
        status.Queued,
        status.Measured?.ResidentBytes ?? (status.Pid is { } pid ? residentBytes(pid) : null),
        status.LoadProgress is { } fraction ? (int)Math.Round(fraction * 100) : null)
    {
        EstimatedBytes = status.Estimate?.TotalBytes,
        BudgetedBytes = status.BudgetedBytes,
        BudgetSource = status.BudgetSource,
        PeakBytes = status.Measured?.PeakResidentBytes,
        GpuBytes = status.Measured?.GpuBytes,
        LoadProgress = status.LoadProgress,
        WaitingFor = status.WaitingFor,
        QueuedRequests = status.QueuedRequests,
    };

    private static DiscoveredModel? FileNamedBy(ImmutableArray<string> command, Dictionary<string, DiscoveredModel> byPath)
    {
        foreach (var argument in command)
        {
            if (Path.IsPathFullyQualified(argument) && byPath.TryGetValue(Path.GetFullPath(argument), out var model))
            {
                return model;
            }
        }
        return null;
    }

    /// <summary>A <c>.gguf</c> the command names that no scan saw (outside the models folders).</summary>
    private static FileInfo? LooseFile(ImmutableArray<string> command)
    {
        foreach (var argument in command)
        {
            if (argument.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase) && Path.IsPathFullyQualified(argument)
                && !ProjectorRule.IsProjectorName(argument) && new FileInfo(argument) is { Exists: true } file)
            {
                return file;
            }
        }
        return null;
    }

    private static ModelFilesView LooseView(FileInfo file, long? contextSize) => new(
        file.FullName, [file.FullName], null, file.Length, null, null, null, null, contextSize, false, false, file.LastWriteTimeUtc, null);

    private static ModelFilesView FilesView(DiscoveredModel model, long? contextSize, InventoryInputs inputs)
    {
        var generation = inputs.Generation!;
        var own = generation.Overrides.Models.GetValueOrDefault(model.Name);
        return new ModelFilesView(
            model.Path,
            model.Files.IsDefaultOrEmpty ? [model.Path] : model.Files,
            model.ProjectorPath,
            model.SizeBytes,
            model.Architecture,
            model.ParameterCount,
            model.Quantization,
            model.ContextLength,
            contextSize ?? generation.Contexts.GetValueOrDefault(model.Name)?.Size ?? own?.ContextSize ?? ConfigGenerator.ContextSizeFor(model, generation.Settings),
            model.IsEmbedding,
            model.HasChatTemplate,
            model.AddedAt,
            model.Name);
    }

    /// <summary>The <c>-c</c>/<c>--ctx-size</c> a command gives its server, if any.</summary>
    private static long? ContextSizeOf(ImmutableArray<string> command)
    {
        for (var i = 0; i + 1 < command.Length; i++)
        {
            if (command[i] is "-c" or "--ctx-size" && long.TryParse(command[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var size))
            {
                return size;
            }
        }
        return null;
    }
}
