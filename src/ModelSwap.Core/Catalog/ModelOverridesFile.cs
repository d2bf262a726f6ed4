using System.Collections.Immutable;
using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ModelSwap.Core.Catalog;

/// <summary>
/// models.yaml: the user's settings for generated configs, which survive regeneration.
/// <code>
/// settings:            # all optional
///   contextCap: 8192   # default ctx size cap
///   ttl: 300           # seconds idle before unload (0 = never)
///   gpuLayers: 99      # llama-server -ngl
///   llamaServer: /opt/llama.cpp/llama-server   # explicit binary ("engine" forces the built-in engine)
/// models:
///   "llama3.2:1b-instruct":
///     ctxSize: 4096
///     gpuLayers: 20
///     extraArgs: ["--flash-attn", "on"]
///     ttl: 600
///     aliases: ["my-llama"]
///     disabled: false
/// </code>
/// </summary>
public sealed record ModelOverridesFile
{
    public ImmutableDictionary<string, ModelOverride> Models { get; init; } =
        ImmutableDictionary<string, ModelOverride>.Empty.WithComparers(StringComparer.Ordinal);
    public int? ContextCap { get; init; }
    public TimeSpan? Ttl { get; init; }
    public int? GpuLayers { get; init; }
    /// <summary>An explicit llama-server path, or "engine" to always use the built-in engine.</summary>
    public string? LlamaServer { get; init; }
    /// <summary>Problems found, each "file:line: message"; the entries they concern are ignored.</summary>
    public ImmutableArray<string> Errors { get; init; } = [];
    /// <summary>Unknown keys (likely typos), each "file:line: message" with a "did you mean"; they are ignored.</summary>
    public ImmutableArray<string> Warnings { get; init; } = [];

    private static readonly string[] RootKeys = ["settings", "models"];
    private static readonly string[] SettingsKeys = ["contextCap", "ttl", "gpuLayers", "llamaServer"];
    private static readonly string[] ModelKeys = ["ctxSize", "gpuLayers", "extraArgs", "ttl", "aliases", "disabled"];

    public static ModelOverridesFile Load(string path)
    {
        if (!File.Exists(path))
        {
            return new ModelOverridesFile();
        }
        try
        {
            return Parse(File.ReadAllText(path), path);
        }
        catch (IOException ex)
        {
            return new ModelOverridesFile { Errors = [$"{path}: cannot read: {ex.Message}"] };
        }
    }

    public static ModelOverridesFile Parse(string yaml, string source)
    {
        var errors = ImmutableArray.CreateBuilder<string>();
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            return new ModelOverridesFile { Errors = [$"{source}:{ex.Start.Line}: {ex.Message}"] };
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            return stream.Documents.Count == 0 ? new ModelOverridesFile() : new ModelOverridesFile { Errors = [$"{source}:1: expected a mapping"] };
        }
        var warnings = ImmutableArray.CreateBuilder<string>();
        var reader = new Reader(source, errors);
        var result = new ModelOverridesFile();
        WarnUnknown(root, RootKeys, "", source, warnings);
        if (root.Children.TryGetValue(new YamlScalarNode("settings"), out var settingsNode) && settingsNode is YamlMappingNode settings)
        {
            WarnUnknown(settings, SettingsKeys, "settings.", source, warnings);
            result = result with
            {
                ContextCap = reader.Int(settings, "contextCap", min: 256),
                Ttl = reader.Seconds(settings, "ttl"),
                GpuLayers = reader.Int(settings, "gpuLayers", min: 0),
                LlamaServer = reader.String(settings, "llamaServer"),
            };
        }
        var models = ImmutableDictionary.CreateBuilder<string, ModelOverride>(StringComparer.Ordinal);
        if (root.Children.TryGetValue(new YamlScalarNode("models"), out var modelsNode))
        {
            if (modelsNode is not YamlMappingNode modelMap)
            {
                errors.Add($"{source}:{modelsNode.Start.Line}: models must be a mapping of model name to settings");
            }
            else
            {
                foreach (var (key, value) in modelMap.Children)
                {
                    var name = ((YamlScalarNode)key).Value ?? "";
                    if (value is not YamlMappingNode entry)
                    {
                        errors.Add($"{source}:{value.Start.Line}: models.{name} must be a mapping");
                        continue;
                    }
                    WarnUnknown(entry, ModelKeys, $"models.{name}.", source, warnings);
                    models[name] = new ModelOverride
                    {
                        ContextSize = reader.Int(entry, "ctxSize", min: 256),
                        GpuLayers = reader.Int(entry, "gpuLayers", min: 0),
                        ExtraArgs = reader.Strings(entry, "extraArgs"),
                        Ttl = reader.Seconds(entry, "ttl"),
                        Aliases = reader.Strings(entry, "aliases"),
                        Disabled = reader.Bool(entry, "disabled") ?? false,
                    };
                }
            }
        }
        return result with { Models = models.ToImmutable(), Errors = errors.ToImmutable(), Warnings = warnings.ToImmutable() };
    }

    /// <summary>Like config.yaml: an unknown key is named with its line, and the closest known key suggested.</summary>
    private static void WarnUnknown(YamlMappingNode map, string[] known, string prefix, string source, ImmutableArray<string>.Builder warnings)
    {
        foreach (var key in map.Children.Keys)
        {
            var name = (key as YamlScalarNode)?.Value ?? "";
            if (!known.Contains(name, StringComparer.Ordinal))
            {
                var hint = Configuration.Loading.Suggestions.Hint(name, known);
                warnings.Add($"{source}:{key.Start.Line}: unknown key '{prefix}{name}' is ignored{hint} (known: {string.Join(", ", known)})");
            }
        }
    }

    private sealed class Reader(string source, ImmutableArray<string>.Builder errors)
    {
        private YamlScalarNode? Scalar(YamlMappingNode map, string key)
        {
            if (!map.Children.TryGetValue(new YamlScalarNode(key), out var node))
            {
                return null;
            }
            if (node is YamlScalarNode scalar)
            {
                return scalar;
            }
            errors.Add($"{source}:{node.Start.Line}: {key} must be a single value");
            return null;
        }

        public int? Int(YamlMappingNode map, string key, int min)
        {
            if (Scalar(map, key) is not { } scalar)
            {
                return null;
            }
            if (int.TryParse(scalar.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min)
            {
                return value;
            }
            errors.Add($"{source}:{scalar.Start.Line}: {key} must be a whole number >= {min}, not '{scalar.Value}'");
            return null;
        }

        public TimeSpan? Seconds(YamlMappingNode map, string key) => Int(map, key, min: 0) is { } seconds ? TimeSpan.FromSeconds(seconds) : null;

        public bool? Bool(YamlMappingNode map, string key)
        {
            if (Scalar(map, key) is not { } scalar)
            {
                return null;
            }
            if (bool.TryParse(scalar.Value, out var value))
            {
                return value;
            }
            errors.Add($"{source}:{scalar.Start.Line}: {key} must be true or false, not '{scalar.Value}'");
            return null;
        }

        public string? String(YamlMappingNode map, string key) => Scalar(map, key)?.Value;

        public ImmutableArray<string> Strings(YamlMappingNode map, string key)
        {
            if (!map.Children.TryGetValue(new YamlScalarNode(key), out var node))
            {
                return [];
            }
            if (node is YamlSequenceNode sequence && sequence.Children.All(c => c is YamlScalarNode))
            {
                return [.. sequence.Children.Cast<YamlScalarNode>().Select(s => s.Value ?? "")];
            }
            errors.Add($"{source}:{node.Start.Line}: {key} must be a list of strings");
            return [];
        }
    }
}
