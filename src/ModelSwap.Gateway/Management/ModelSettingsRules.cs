using System.Text.Json;
using ModelSwap.Core.Catalog;

namespace ModelSwap.Gateway.Management;

/// <summary>
/// Checks a model's settings before models.yaml is touched (every problem at once, by field, in the
/// words the page shows beside that field) and turns them into the edits of its entry. Pure.
/// </summary>
internal static class ModelSettingsRules
{
    public const int MinContextSize = 256;

    /// <summary>Field (the JSON name in <see cref="ModelSettings"/>) → what is wrong with it; empty when valid.</summary>
    /// <param name="nameOwner">The model a name (id or alias) belongs to now, or null when it names none.</param>
    /// <param name="isModelFile">Whether a name names a model in the models folders (its name or automatic alias: what a draft must be); null: none does.</param>
    public static IReadOnlyDictionary<string, string> Validate(string model, ModelSettings settings, long? trainedContext, Func<string, string?> nameOwner,
        Func<string, bool>? isModelFile = null)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (settings.ContextSize is { } context)
        {
            if (context < MinContextSize)
            {
                errors["contextSize"] = $"must be at least {MinContextSize} tokens (or empty for auto)";
            }
            else if (trainedContext is { } trained && context > trained)
            {
                errors["contextSize"] = $"must be at most {trained}, the context the model was trained with";
            }
        }
        if (settings.GpuLayers is < 0)
        {
            errors["gpuLayers"] = "must be 0 or more (or empty for the default)";
        }
        if (settings.TtlSeconds is < 0)
        {
            errors["ttlSeconds"] = "must be 0 (never unload) or more seconds (or empty for the default)";
        }
        if (AliasProblem(model, settings.Aliases ?? [], nameOwner) is { } aliasProblem)
        {
            errors["aliases"] = aliasProblem;
        }
        if ((settings.ExtraArgs ?? []).FirstOrDefault(a => a.Length == 0 || a.Any(char.IsControl)) is { } badArg)
        {
            errors["extraArgs"] = badArg.Length == 0 ? "an argument is empty" : "an argument holds a control character (a line break?)";
        }
        if (settings.Draft is { } draft)
        {
            if (draft == model)
            {
                errors["draft"] = "a model cannot draft for itself";
            }
            else if (!(isModelFile?.Invoke(draft) ?? false))
            {
                // The generator looks a draft up among the scanned files, so only such a name takes effect.
                errors["draft"] = $"'{draft}' is no model in the models folders (use its name as the Models page lists it)";
            }
        }
        return errors;
    }

    private static string? AliasProblem(string model, IReadOnlyList<string> aliases, Func<string, string?> nameOwner)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var alias in aliases)
        {
            if (alias.Trim().Length == 0 || alias != alias.Trim() || alias.Any(char.IsControl))
            {
                return $"'{alias}' is not a name: no spaces around it, no control characters";
            }
            if (!seen.Add(alias))
            {
                return $"'{alias}' is listed twice";
            }
            if (alias == model)
            {
                return $"'{alias}' is the model's own name";
            }
            if (nameOwner(alias) is { } owner && owner != model)
            {
                return $"'{alias}' already names model '{owner}'";
            }
        }
        return null;
    }

    /// <summary>The models.yaml edits that store <paramref name="settings"/> (defaults remove their key).</summary>
    public static IReadOnlyList<YamlKeyEdit> Edits(ModelSettings settings) =>
    [
        new("ctx-size", settings.ContextSize?.ToString(System.Globalization.CultureInfo.InvariantCulture), ["ctxSize"]),
        new("gpuLayers", settings.GpuLayers?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("ttl", settings.TtlSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("aliases", List(settings.Aliases)),
        new("extraArgs", List(settings.ExtraArgs)),
        new("disabled", settings.Disabled ? "true" : null),
        new("draft", settings.Draft is { } draft ? JsonSerializer.Serialize(draft) : null),
    ];

    /// <summary>A JSON array is a YAML flow sequence of double-quoted scalars.</summary>
    private static string? List(IReadOnlyList<string>? values) => values is { Count: > 0 } ? JsonSerializer.Serialize(values) : null;

    /// <summary>What models.yaml holds for a model, as settings.</summary>
    public static ModelSettings From(ModelOverride? entry) => entry is null
        ? new ModelSettings()
        : new ModelSettings(entry.ContextSize, entry.GpuLayers, entry.Ttl is { } ttl ? (long)ttl.TotalSeconds : null,
            [.. entry.Aliases], [.. entry.ExtraArgs], entry.Disabled, entry.Draft);
}
