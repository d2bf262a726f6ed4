using System.Collections.Immutable;
using YamlDotNet.RepresentationModel;

namespace ModelSwap.Core.Configuration.Loading;

/// <summary>
/// Reads a whole llama-swap config: top-level settings, global macros, models (in id order, for
/// ports), aliases, groups, preload and API keys. Every problem is collected; none stops the read.
/// </summary>
internal sealed class ConfigReader
{
    private const int MinHealthCheckSeconds = 15;
    private static readonly string[] LogLevels = ["debug", "info", "warn", "error"];

    private readonly DiagnosticBag _diagnostics;
    private readonly NodeReader _reader;
    private readonly ConfigLoadOptions _options;
    private readonly VirtualModelNames _virtualNames = new();
    private readonly Dictionary<string, (YamlNode Key, YamlNode Value, string Path)> _sections = new(StringComparer.Ordinal);
    private List<MacroDefinition> _globalMacros = [];
    private ModelSwapConfig _settings = new();

    private ConfigReader(string source, ConfigLoadOptions options)
    {
        _diagnostics = new DiagnosticBag(source);
        _reader = new NodeReader(_diagnostics, options.GetEnvironmentVariable);
        _options = options;
    }

    public static ConfigLoadResult Read(string yaml, string source, ConfigLoadOptions options)
    {
        var reader = new ConfigReader(source, options);
        var config = reader.ReadConfig(yaml);
        return new ConfigLoadResult(reader._diagnostics.HasErrors ? null : config, reader._diagnostics.ToImmutable());
    }

    private ModelSwapConfig? ReadConfig(string yaml)
    {
        if (YamlDocumentLoader.Load(yaml, _diagnostics) is not { } root)
        {
            return null;
        }
        if (root is not YamlMappingNode top)
        {
            _diagnostics.Error(root, "", $"the top level must be a mapping of settings (models:, macros:, …), got {NodeReader.Describe(root)}");
            return null;
        }
        foreach (var (key, keyNode, value, path) in _reader.Entries(top, ""))
        {
            if (KnownKeys.TopLevel.Admit(key, keyNode, path, _diagnostics))
            {
                ReadTopLevel(key, keyNode, value, path);
            }
            else
            {
                _virtualNames.CollectFrom(key, value);
            }
        }
        if (!_sections.ContainsKey("models"))
        {
            _diagnostics.Error(0, "models", "required key 'models' is missing: a config must define its models");
        }
        MacroScope.ValidateGlobals(_globalMacros, _diagnostics);

        var models = BuildModels();
        var idsByName = BuildNames(models);
        var groups = _sections.TryGetValue("groups", out var groupsSection)
            ? GroupsReader.Read(_reader, groupsSection.Value, groupsSection.Path, idsByName)
            : ImmutableSortedDictionary.Create<string, GroupConfig>(StringComparer.Ordinal);
        var preload = ReadPreload(idsByName);
        var apiKeys = ReadApiKeys();
        if (_diagnostics.HasErrors)
        {
            return null;
        }
        return _settings with
        {
            Models = models.ToImmutableSortedDictionary(m => m.Id, m => m.Config!, StringComparer.Ordinal),
            Groups = groups,
            Preload = preload,
            ApiKeys = apiKeys,
            ModelIdsByName = idsByName,
        };
    }

    private void ReadTopLevel(string key, YamlNode keyNode, YamlNode value, string path)
    {
        switch (key)
        {
            case "healthCheckTimeout":
                if (_reader.Seconds(value, path) is { } seconds)
                {
                    if (seconds < MinHealthCheckSeconds)
                    {
                        _diagnostics.Warning(value, path,
                            $"healthCheckTimeout {seconds} is below the minimum of {MinHealthCheckSeconds} seconds; {MinHealthCheckSeconds} is used (as llama-swap does)");
                        seconds = MinHealthCheckSeconds;
                    }
                    _settings = _settings with { HealthCheckTimeout = TimeSpan.FromSeconds(seconds) };
                }
                break;
            case "logLevel":
                if (_reader.Text(value, path) is { } level)
                {
                    var normalized = level.Text.Trim().ToLowerInvariant();
                    if (LogLevels.Contains(normalized))
                    {
                        _settings = _settings with { LogLevel = normalized };
                    }
                    else
                    {
                        _diagnostics.Error(value, path, $"logLevel must be one of debug, info, warn, error, got '{level.Text}'");
                    }
                }
                break;
            case "startPort":
                if (_reader.Integer(value, path) is { } port)
                {
                    if (port is < 1 or > 65535)
                    {
                        _diagnostics.Error(value, path, $"startPort must be a port number from 1 to 65535, got {port}");
                    }
                    else
                    {
                        _settings = _settings with { StartPort = (int)port };
                    }
                }
                break;
            case "globalTTL":
                if (_reader.Seconds(value, path) is { } ttl)
                {
                    if (ttl < 0)
                    {
                        _diagnostics.Error(value, path, $"globalTTL must be >= 0 seconds (0 means never unload), got {ttl}");
                    }
                    else
                    {
                        _settings = _settings with { GlobalTtl = TimeSpan.FromSeconds(ttl) };
                    }
                }
                break;
            case "unloadTimeout":
                if (_reader.Seconds(value, path) is { } unload)
                {
                    if (unload < 0)
                    {
                        _diagnostics.Error(value, path, $"unloadTimeout must be >= 0 seconds, got {unload}");
                    }
                    else
                    {
                        _settings = _settings with { UnloadTimeout = TimeSpan.FromSeconds(unload) };
                    }
                }
                break;
            case "swapWaitTimeout":
                if (_reader.Seconds(value, path) is { } swapWait)
                {
                    if (swapWait < 0)
                    {
                        _diagnostics.Error(value, path, $"swapWaitTimeout must be >= 0 seconds (0 waits for ever), got {swapWait}");
                    }
                    else
                    {
                        _settings = _settings with { SwapWaitTimeout = TimeSpan.FromSeconds(swapWait) };
                    }
                }
                break;
            case "includeAliasesInList":
                _settings = _settings with { IncludeAliasesInList = _reader.Bool(value, path) ?? false };
                break;
            case "macros":
                _globalMacros = MacroReader.Read(_reader, value, path, modelLevel: false);
                break;
            default:
                _sections[key] = (keyNode, value, path);
                break;
        }
    }

    private List<BuiltModel> BuildModels()
    {
        if (!_sections.TryGetValue("models", out var section))
        {
            return [];
        }
        if (_reader.Mapping(section.Value, section.Path, "a mapping of model ids to model settings") is not { } mapping)
        {
            if (NodeReader.IsNull(section.Value))
            {
                _diagnostics.Warning(section.Key, section.Path, "no models are defined");
            }
            return [];
        }
        if (mapping.Children.Count == 0)
        {
            _diagnostics.Warning(section.Key, section.Path, "no models are defined");
        }
        var drafts = new List<ModelDraft>();
        foreach (var (id, keyNode, value, path) in _reader.Entries(mapping, section.Path))
        {
            if (ModelReader.Read(_reader, id, keyNode, value, path) is { } draft)
            {
                drafts.Add(draft);
                foreach (var key in draft.SetParamsByIdKeys)
                {
                    _virtualNames.Add(key.Replace("${MODEL_ID}", id, StringComparison.Ordinal), $"a setParamsByID alias of model '{id}'");
                }
            }
        }
        // llama-swap assigns ${PORT} in sorted id order; doing the same keeps ports identical.
        drafts.Sort((a, b) => string.CompareOrdinal(a.Id, b.Id));
        var ports = new PortAllocator(_settings.StartPort, _options.IsPortFree, _options.PreviousPorts);
        var builder = new ModelBuilder(_reader, _globalMacros, ports, _settings.HealthCheckTimeout, _settings.UnloadTimeout);
        return [.. drafts.Select(builder.Build)];
    }

    private ImmutableDictionary<string, string> BuildNames(List<BuiltModel> models)
    {
        var names = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var model in models)
        {
            names[model.Id] = model.Id;
        }
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var model in models)
        {
            foreach (var alias in model.Aliases)
            {
                var name = alias.Text;
                if (name.Length == 0)
                {
                    _diagnostics.Error(alias.Line, alias.Path, "an alias must not be empty");
                }
                else if (name == model.Id)
                {
                    _diagnostics.Error(alias.Line, alias.Path, $"alias '{name}' is the model's own id");
                }
                else if (models.Any(m => m.Id == name))
                {
                    _diagnostics.Error(alias.Line, alias.Path, $"alias '{name}' of model '{model.Id}' is also the id of model '{name}'; an alias must not equal a model id");
                }
                else if (owners.TryGetValue(name, out var owner))
                {
                    if (owner == model.Id)
                    {
                        _diagnostics.Warning(alias.Line, alias.Path, $"alias '{name}' is listed twice");
                    }
                    else
                    {
                        _diagnostics.Error(alias.Line, alias.Path,
                            $"alias '{name}' is used by both model '{owner}' and model '{model.Id}'; aliases must be unique across all models");
                    }
                }
                else
                {
                    owners[name] = model.Id;
                    names[name] = model.Id;
                }
            }
        }
        return names.ToImmutable();
    }

    private ImmutableArray<string> ReadPreload(ImmutableDictionary<string, string> idsByName)
    {
        var preload = ImmutableArray.CreateBuilder<string>();
        if (!_sections.TryGetValue("hooks", out var hooksSection)
            || _reader.Mapping(hooksSection.Value, hooksSection.Path, "a mapping with on_startup") is not { } hooks)
        {
            return preload.ToImmutable();
        }
        foreach (var (hook, hookKey, hookValue, hookPath) in _reader.Entries(hooks, hooksSection.Path))
        {
            if (!KnownKeys.Hooks.Admit(hook, hookKey, hookPath, _diagnostics)
                || _reader.Mapping(hookValue, hookPath, "a mapping with preload") is not { } onStartup)
            {
                continue;
            }
            foreach (var (action, actionKey, actionValue, actionPath) in _reader.Entries(onStartup, hookPath))
            {
                if (!KnownKeys.OnStartup.Admit(action, actionKey, actionPath, _diagnostics))
                {
                    continue;
                }
                foreach (var entry in _reader.TextList(actionValue, actionPath, "a list of model ids"))
                {
                    var name = entry.Text.Trim();
                    if (idsByName.TryGetValue(name, out var id))
                    {
                        if (!preload.Contains(id))
                        {
                            preload.Add(id);
                        }
                    }
                    else if (_virtualNames.TryGet(name, out var what))
                    {
                        _diagnostics.Warning(entry.Line, entry.Path, $"preload '{name}' names {what}, which ModelSwap does not support; it is not preloaded");
                    }
                    else
                    {
                        var hint = Suggestions.Hint(name, idsByName.Keys);
                        _diagnostics.Error(entry.Line, entry.Path, $"preload '{name}' is not a model id or alias{hint}");
                    }
                }
            }
        }
        return preload.ToImmutable();
    }

    private ImmutableArray<string> ReadApiKeys()
    {
        var keys = ImmutableArray.CreateBuilder<string>();
        if (!_sections.TryGetValue("apiKeys", out var section))
        {
            return keys.ToImmutable();
        }
        var scope = MacroScope.Build(_globalMacros, [], modelId: null, _diagnostics);
        foreach (var entry in _reader.TextList(section.Value, section.Path, "a list of strings"))
        {
            var expansion = scope.Expand(entry.Text);
            scope.Report(expansion, entry.Line, entry.Path, allowPid: false, _diagnostics);
            // Messages never include a key: they end up in logs.
            var key = expansion.Value.Text;
            if (key.Length == 0)
            {
                _diagnostics.Error(entry.Line, entry.Path, "an API key must not be empty");
            }
            else if (key.Any(char.IsWhiteSpace))
            {
                _diagnostics.Error(entry.Line, entry.Path, "an API key must not contain spaces");
            }
            else if (!keys.Contains(key))
            {
                keys.Add(key);
            }
        }
        return keys.ToImmutable();
    }
}
