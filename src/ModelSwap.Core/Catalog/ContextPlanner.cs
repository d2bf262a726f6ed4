using System.Globalization;
using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Core.Memory;

namespace ModelSwap.Core.Catalog;

/// <summary>
/// <c>ctx-size: auto</c> for generated configs: each model gets the largest context ≤ its trained context
/// and the cap whose estimated footprint fits the memory budget beside the persistent models (the
/// embedding models, which stay loaded). A context set in models.yaml is kept as it is.
/// </summary>
internal static class ContextPlanner
{
    public static IReadOnlyDictionary<string, ContextChoice> Plan(IReadOnlyList<DiscoveredModel> models, GeneratorSettings settings,
        IReadOnlyDictionary<string, ModelOverride> overrides)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(overrides);
        var shapes = new Dictionary<string, ModelShape?>(StringComparer.Ordinal);
        foreach (var model in models)
        {
            shapes[model.Name] = ReadShape(model);
        }
        long NeedAt(DiscoveredModel model, int context) =>
            shapes[model.Name] is { } shape ? FootprintEstimator.Estimate(shape, CommandAt(settings, model, context), gpuPresent: false).TotalBytes : 0;

        // Persistent models (embedders) at their capped context: they are small and always beside the others.
        var persistent = models.Where(m => m.IsEmbedding && !(overrides.GetValueOrDefault(m.Name)?.Disabled ?? false))
            .ToDictionary(m => m.Name, m => NeedAt(m, overrides.GetValueOrDefault(m.Name)?.ContextSize ?? Capped(m, settings)), StringComparer.Ordinal);
        var persistentTotal = persistent.Values.Sum();

        var choices = new Dictionary<string, ContextChoice>(StringComparer.Ordinal);
        foreach (var model in models)
        {
            var own = overrides.GetValueOrDefault(model.Name);
            var capped = Capped(model, settings);
            if (own?.ContextSize is { } fixedSize)
            {
                choices[model.Name] = new ContextChoice(fixedSize, "ctx-size set in models.yaml", Auto: false);
                continue;
            }
            var trained = model.ContextLength is > 0 and var t ? $"trained context {Invariant(t)}" : "trained context unknown";
            var upperWhy = capped < (model.ContextLength ?? long.MaxValue) ? $"{trained}, capped at contextCap {Invariant(settings.ContextCap)}" : trained;
            if (settings.MemoryBudget is not { } budget || shapes[model.Name] is null)
            {
                choices[model.Name] = new ContextChoice(capped, upperWhy, Auto: false);
                continue;
            }
            var beside = persistentTotal - persistent.GetValueOrDefault(model.Name);
            var available = budget - beside;
            var besideWhy = beside > 0 ? $" beside persistent models ({ByteSize.Format(beside)})" : "";
            var largest = ContextSizer.Largest(capped, available, ctx => NeedAt(model, ctx));
            choices[model.Name] = largest switch
            {
                { } size when size == capped => new ContextChoice(size,
                    $"auto: {upperWhy}; needs {ByteSize.Format(NeedAt(model, size))} of the {ByteSize.Format(budget)} memory budget{besideWhy}", Auto: true),
                { } size => new ContextChoice(size,
                    $"auto: the largest context that fits the {ByteSize.Format(budget)} memory budget{besideWhy} ({ByteSize.Format(NeedAt(model, size))}); {upperWhy} would need {ByteSize.Format(NeedAt(model, capped))}", Auto: true),
                null => new ContextChoice(ContextSizer.Step,
                    $"auto: does not fit the {ByteSize.Format(budget)} memory budget{besideWhy} even with {ContextSizer.Step} tokens ({ByteSize.Format(NeedAt(model, ContextSizer.Step))}); it will be refused with insufficient_memory", Auto: true),
            };
        }
        return choices;
    }

    /// <summary>The smaller of the trained context and the cap.</summary>
    public static int Capped(DiscoveredModel model, GeneratorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(settings);
        return model.ContextLength is > 0 and var trained && trained < settings.ContextCap ? (int)trained : settings.ContextCap;
    }

    private static ServerCommand CommandAt(GeneratorSettings settings, DiscoveredModel model, int context) => new()
    {
        Kind = settings.LlamaServerPath is null ? ServerKind.Engine : ServerKind.LlamaServer,
        ContextSize = context,
        Embeddings = model.IsEmbedding,
        GpuLayers = settings.GpuLayers,
    };

    private static ModelShape? ReadShape(DiscoveredModel model)
    {
        try
        {
            return ModelShapeReader.Read(model.Path, model.ProjectorPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or GgufFormatException)
        {
            return null; // the scan already reported an unreadable file
        }
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
