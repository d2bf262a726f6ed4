using System.Collections.Immutable;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ModelSwap.Core.Configuration.Loading;

/// <summary>
/// Turns a <see cref="ModelDraft"/> into a <see cref="ModelConfig"/>: expands macros, assigns
/// <c>${PORT}</c>, splits cmd and cmdStop into arguments and validates the results.
/// </summary>
internal sealed partial class ModelBuilder(
    NodeReader reader,
    IReadOnlyList<MacroDefinition> globalMacros,
    PortAllocator ports,
    TimeSpan healthCheckTimeout,
    TimeSpan globalUnloadTimeout)
{
    public const string DefaultProxy = "http://localhost:${PORT}";
    public const string DefaultCheckEndpoint = "/health";

    private DiagnosticBag Diagnostics => reader.Diagnostics;

    /// <summary>Models must be built in id order (ordinal), so ports are assigned as llama-swap does.</summary>
    public BuiltModel Build(ModelDraft draft)
    {
        var scope = MacroScope.Build(globalMacros, draft.Macros, draft.Id, Diagnostics);
        var cmdText = draft.Cmd is { } cmd ? ShellWords.Normalize(cmd.Text) : "";
        var cmdStopText = draft.CmdStop is { } cmdStop ? ShellWords.Normalize(cmdStop.Text) : "";
        var proxyText = draft.Proxy?.Text ?? DefaultProxy;
        var proxyPath = KeyPath.Child(draft.Path, "proxy");
        var proxyLine = draft.Proxy?.Line ?? draft.Line;
        AssignPort(draft, scope, cmdText, proxyText, proxyPath, proxyLine);

        var ok = true;
        var command = SplitCommand(scope, draft.Cmd, cmdText, allowPid: false, ref ok);
        var stopCommand = draft.CmdStop is null ? [] : SplitCommand(scope, draft.CmdStop, cmdStopText, allowPid: true, ref ok);
        var proxy = ExpandProxy(scope, proxyText, proxyLine, proxyPath);
        ok &= proxy is not null;

        var checkEndpoint = DefaultCheckEndpoint;
        if (draft.CheckEndpoint is { } check)
        {
            checkEndpoint = ExpandText(scope, check, out var checkOk);
            if (checkOk && checkEndpoint != "none" && !checkEndpoint.StartsWith('/'))
            {
                Diagnostics.Error(check.Line, check.Path, $"checkEndpoint must be a path starting with '/' or 'none', got '{checkEndpoint}'");
            }
        }
        var aliases = draft.Aliases.Select(a => a with { Text = ExpandText(scope, a, out _) }).ToList();
        var filters = BuildFilters(draft, scope);
        var metadata = draft.Metadata is var (metadataNode, metadataPath)
            ? YamlToJson.Object(reader, scope, metadataNode, metadataPath)
            : null;
        var environment = BuildEnvironment(draft, scope);
        var useModelName = OptionalText(scope, draft.UseModelName);
        var name = OptionalText(scope, draft.Name);
        var description = OptionalText(scope, draft.Description);

        if (!ok || command.IsDefaultOrEmpty || proxy is null)
        {
            return new BuiltModel(draft.Id, draft.Line, null, aliases);
        }
        var model = new ModelConfig
        {
            Id = draft.Id,
            Command = command,
            StopCommand = stopCommand,
            Proxy = proxy,
            Port = scope.Port,
            Aliases = [.. aliases.Select(a => a.Text).Distinct(StringComparer.Ordinal)],
            Environment = environment,
            CheckEndpoint = checkEndpoint == "none" ? null : checkEndpoint,
            Ttl = draft.TtlSeconds is null or -1 ? null : TimeSpan.FromSeconds(draft.TtlSeconds.Value),
            UnloadTimeout = draft.UnloadTimeoutSeconds is null or 0 ? globalUnloadTimeout : TimeSpan.FromSeconds(draft.UnloadTimeoutSeconds.Value),
            HealthCheckTimeout = healthCheckTimeout,
            Unlisted = draft.Unlisted,
            UseModelName = useModelName,
            Name = name,
            Description = description,
            Metadata = metadata is { Count: > 0 } ? metadata : null,
            ConcurrencyLimit = (int)draft.ConcurrencyLimit,
            Timeouts = draft.Timeouts,
            Filters = filters,
        };
        return new BuiltModel(draft.Id, draft.Line, model, aliases);
    }

    private void AssignPort(ModelDraft draft, MacroScope scope, string cmdText, string proxyText, string proxyPath, int proxyLine)
    {
        var cmdUsesPort = scope.Expand(cmdText).NeedsPort;
        var proxyUsesPort = scope.Expand(proxyText).NeedsPort;
        if (!cmdUsesPort && !proxyUsesPort)
        {
            return;
        }
        if (ports.Next(draft.Id) is not { } port)
        {
            Diagnostics.Error(draft.Line, draft.Path, "no free port is left at or above startPort for ${PORT}");
            return;
        }
        scope.Port = port;
        if (!cmdUsesPort && draft.Cmd is not null)
        {
            Diagnostics.Warning(proxyLine, proxyPath, draft.Proxy is null
                ? $"proxy is not set, so it is http://localhost:{port} (${{PORT}}), but cmd does not use ${{PORT}}; pass --port ${{PORT}} in cmd, or set proxy to the address the server listens on"
                : $"proxy uses ${{PORT}} ({port}) but cmd does not; pass --port ${{PORT}} in cmd, or set proxy to the address the server listens on");
        }
    }

    private ImmutableArray<string> SplitCommand(MacroScope scope, Scalar? field, string text, bool allowPid, ref bool ok)
    {
        if (field is not { } source)
        {
            ok = false;
            return [];
        }
        var expansion = scope.Expand(text);
        scope.Report(expansion, source.Line, source.Path, allowPid, Diagnostics);
        if (!ShellWords.TrySplit(ShellWords.Normalize(expansion.Value.Text), out var words, out var error))
        {
            Diagnostics.Error(source.Line, source.Path, error!);
            ok = false;
            return [];
        }
        if (words.IsEmpty)
        {
            Diagnostics.Error(source.Line, source.Path, $"{NodeReader.Leaf(source.Path)} has no command (only blank or comment lines)");
            ok = false;
        }
        return words;
    }

    private Uri? ExpandProxy(MacroScope scope, string text, int line, string path)
    {
        var expansion = scope.Expand(text);
        scope.Report(expansion, line, path, allowPid: false, Diagnostics);
        var expanded = expansion.Value.Text;
        if (expansion.Unknown.Count > 0 || expansion.NeedsPort)
        {
            return null;
        }
        if (Uri.TryCreate(expanded, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0)
        {
            return uri;
        }
        Diagnostics.Error(line, path, $"proxy must be an absolute http:// or https:// URL, got '{expanded}'");
        return null;
    }

    private string ExpandText(MacroScope scope, Scalar field, out bool ok)
    {
        var expansion = scope.Expand(field.Text);
        scope.Report(expansion, field.Line, field.Path, allowPid: false, Diagnostics);
        ok = expansion.Unknown.Count == 0 && !expansion.NeedsPort && !expansion.UsesPid;
        return expansion.Value.Text;
    }

    private string? OptionalText(MacroScope scope, Scalar? field) =>
        field is { } value && ExpandText(scope, value, out _) is { Length: > 0 } text ? text : null;

    private ImmutableArray<KeyValuePair<string, string>> BuildEnvironment(ModelDraft draft, MacroScope scope)
    {
        var environment = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>();
        foreach (var entry in draft.Env)
        {
            var text = ExpandText(scope, entry, out _);
            var equals = text.IndexOf('=');
            // Never echo the value: env often carries tokens.
            if (equals < 0)
            {
                Diagnostics.Error(entry.Line, entry.Path, $"env entry '{text}' has no '='; write NAME=value");
            }
            else if (!EnvName().IsMatch(text[..equals]))
            {
                Diagnostics.Error(entry.Line, entry.Path,
                    $"env name '{text[..equals]}' is invalid: use letters, digits and '_', not starting with a digit");
            }
            else
            {
                environment.Add(new KeyValuePair<string, string>(text[..equals], text[(equals + 1)..]));
            }
        }
        return environment.ToImmutable();
    }

    private ModelFilters BuildFilters(ModelDraft draft, MacroScope scope)
    {
        var strip = new List<string>();
        if (draft.StripParams is { } stripField)
        {
            foreach (var param in ExpandText(scope, stripField, out _).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (param == "model")
                {
                    Diagnostics.Warning(stripField.Line, stripField.Path, "'model' can never be stripped; it is ignored");
                }
                else if (!strip.Contains(param))
                {
                    strip.Add(param);
                }
            }
        }
        JsonObject? set = null;
        if (draft.SetParams is var (node, path))
        {
            set = YamlToJson.Object(reader, scope, node, path);
            if (set.Remove("model"))
            {
                var key = node.Children.Keys.FirstOrDefault(k => k is YamlDotNet.RepresentationModel.YamlScalarNode { Value: "model" }) ?? node;
                Diagnostics.Warning(key, KeyPath.Child(path, "model"), "'model' cannot be set by setParams (use useModelName); it is ignored");
            }
        }
        if (strip.Count == 0 && (set is null || set.Count == 0))
        {
            return ModelFilters.None;
        }
        return new ModelFilters { StripParams = [.. strip], SetParams = set is { Count: > 0 } ? set : null };
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex EnvName();
}
