using YamlDotNet.RepresentationModel;

namespace ModelSwap.Core.Configuration.Loading;

/// <summary>Reads one entry of <c>models:</c> into a <see cref="ModelDraft"/>, checking shapes and ranges.</summary>
internal static class ModelReader
{
    public static ModelDraft? Read(NodeReader reader, string id, YamlNode keyNode, YamlNode node, string path)
    {
        var diagnostics = reader.Diagnostics;
        if (id.Trim().Length == 0)
        {
            diagnostics.Error(keyNode, path, "a model id must not be empty");
            return null;
        }
        if (node is not YamlMappingNode mapping)
        {
            diagnostics.Error(node, path, NodeReader.IsNull(node)
                ? $"model '{id}' has no settings; 'cmd' is required"
                : $"model '{id}' must be a mapping of settings (with at least 'cmd'), got {NodeReader.Describe(node)}");
            return null;
        }
        var draft = new ModelDraft { Id = id, Line = DiagnosticBag.LineOf(keyNode), Path = path };
        foreach (var (key, entryKey, value, entryPath) in reader.Entries(mapping, path))
        {
            if (KnownKeys.Model.Admit(key, entryKey, entryPath, diagnostics))
            {
                ReadSetting(reader, draft, key, value, entryPath);
            }
        }
        if (!draft.HasCmdKey)
        {
            diagnostics.Error(keyNode, KeyPath.Child(path, "cmd"), $"model '{id}' has no cmd; 'cmd' is required");
        }
        return draft;
    }

    private static void ReadSetting(NodeReader reader, ModelDraft draft, string key, YamlNode value, string path)
    {
        var diagnostics = reader.Diagnostics;
        switch (key)
        {
            case "cmd":
                draft.HasCmdKey = true;
                draft.Cmd = reader.Text(value, path);
                if (draft.Cmd is null or { Text: "" } && value is YamlScalarNode)
                {
                    diagnostics.Error(value, path, "cmd must not be empty");
                    draft.Cmd = null;
                }
                break;
            case "cmdStop":
                draft.CmdStop = reader.Text(value, path);
                break;
            case "proxy":
                draft.Proxy = reader.Text(value, path);
                break;
            case "checkEndpoint":
                draft.CheckEndpoint = reader.Text(value, path);
                break;
            case "useModelName":
                draft.UseModelName = reader.Text(value, path);
                break;
            case "name":
                draft.Name = reader.Text(value, path);
                break;
            case "description":
                draft.Description = reader.Text(value, path);
                break;
            case "env":
                draft.Env.AddRange(reader.TextList(value, path, "a list of NAME=value strings"));
                break;
            case "aliases":
                ReadAliases(reader, draft, value, path);
                break;
            case "ttl":
                if (reader.Seconds(value, path) is { } ttl)
                {
                    if (ttl < -1)
                    {
                        diagnostics.Error(value, path, $"ttl must be >= 0 seconds (or -1 for globalTTL), got {ttl}");
                    }
                    else
                    {
                        draft.TtlSeconds = ttl;
                    }
                }
                break;
            case "unloadTimeout":
                if (reader.Seconds(value, path) is { } unload)
                {
                    if (unload < 0)
                    {
                        diagnostics.Error(value, path, $"unloadTimeout must be >= 0 seconds (0 uses the global unloadTimeout), got {unload}");
                    }
                    else
                    {
                        draft.UnloadTimeoutSeconds = unload;
                    }
                }
                break;
            case "unlisted":
                draft.Unlisted = reader.Bool(value, path) ?? false;
                break;
            case "concurrencyLimit":
                if (reader.Integer(value, path) is { } limit)
                {
                    if (limit is < 0 or > int.MaxValue)
                    {
                        diagnostics.Error(value, path, $"concurrencyLimit must be >= 0 (0 means no limit), got {limit}");
                    }
                    else
                    {
                        draft.ConcurrencyLimit = limit;
                    }
                }
                break;
            case "metadata":
                if (reader.Mapping(value, path) is { } metadata)
                {
                    draft.Metadata = (metadata, path);
                }
                break;
            case "filters":
                ReadFilters(reader, draft, value, path);
                break;
            case "macros":
                draft.Macros = MacroReader.Read(reader, value, path, modelLevel: true);
                break;
            case "timeouts":
                draft.Timeouts = ReadTimeouts(reader, value, path);
                break;
        }
    }

    private static UpstreamTimeouts ReadTimeouts(NodeReader reader, YamlNode value, string path)
    {
        var timeouts = UpstreamTimeouts.Default;
        if (reader.Mapping(value, path) is not { } mapping)
        {
            return timeouts;
        }
        foreach (var (key, keyNode, entry, entryPath) in reader.Entries(mapping, path))
        {
            if (!KnownKeys.Timeouts.Admit(key, keyNode, entryPath, reader.Diagnostics) || reader.Seconds(entry, entryPath) is not { } seconds)
            {
                continue;
            }
            if (seconds < 0)
            {
                reader.Diagnostics.Error(entry, entryPath, $"timeouts.{key} must be >= 0 seconds (0 disables it), got {seconds}");
                continue;
            }
            var span = TimeSpan.FromSeconds(seconds);
            timeouts = key switch
            {
                // 0 disables a timeout (llama-swap). tlsHandshake is accepted and covered by connect,
                // which in .NET's handler includes the TLS handshake.
                "connect" => timeouts with { Connect = span },
                "keepalive" => timeouts with { KeepAlive = span },
                "responseHeader" => timeouts with { ResponseHeader = span },
                "expectContinue" => timeouts with { ExpectContinue = span },
                "idleConn" => timeouts with { IdleConnection = span },
                "idle" => timeouts with { Idle = span },
                _ => timeouts,
            };
        }
        return timeouts;
    }

    private static void ReadAliases(NodeReader reader, ModelDraft draft, YamlNode value, string path)
    {
        foreach (var (item, itemPath) in reader.Sequence(value, path, "a list of alias names") ?? [])
        {
            // Newer llama-swap also accepts {id, name, unlisted}; the id is the alias.
            if (item is YamlMappingNode aliasMapping)
            {
                foreach (var (key, keyNode, aliasValue, aliasPath) in reader.Entries(aliasMapping, itemPath))
                {
                    if (KnownKeys.Alias.Admit(key, keyNode, aliasPath, reader.Diagnostics) && reader.Text(aliasValue, aliasPath) is { } aliasId)
                    {
                        draft.Aliases.Add(aliasId);
                    }
                }
                continue;
            }
            if (reader.Text(item, itemPath) is { } alias)
            {
                draft.Aliases.Add(alias);
            }
            else if (item is YamlScalarNode)
            {
                reader.Diagnostics.Error(item, itemPath, "an alias must not be empty");
            }
        }
    }

    private static void ReadFilters(NodeReader reader, ModelDraft draft, YamlNode value, string path)
    {
        if (reader.Mapping(value, path) is not { } filters)
        {
            return;
        }
        foreach (var (key, keyNode, filterValue, filterPath) in reader.Entries(filters, path))
        {
            if (!KnownKeys.Filters.Admit(key, keyNode, filterPath, reader.Diagnostics))
            {
                if (key == "setParamsByID" && filterValue is YamlMappingNode byId)
                {
                    draft.SetParamsByIdKeys.AddRange(byId.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value ?? ""));
                }
                continue;
            }
            switch (key)
            {
                case "stripParams" or "strip_params":
                    // strip_params is llama-swap's older spelling; stripParams wins when both are set.
                    if (key == "stripParams" || draft.StripParams is null)
                    {
                        draft.StripParams = reader.Text(filterValue, filterPath);
                    }
                    break;
                case "setParams":
                    if (reader.Mapping(filterValue, filterPath) is { } setParams)
                    {
                        draft.SetParams = (setParams, filterPath);
                    }
                    break;
            }
        }
    }
}
