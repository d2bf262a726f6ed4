using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace ModelSwap.Core.Catalog;

/// <summary>
/// Edits one model's entry in models.yaml (Ollama's "copy" adds an alias; the dashboard and
/// <c>PUT /api/config/models/{id}/settings</c> set its settings) by editing the text in place, so the
/// user's comments, order and formatting survive: only the lines of the keys that change are touched.
/// Writes atomically. The ONE writer of models.yaml.
/// </summary>
public static class ModelsYamlEditor
{
    /// <summary>Adds <paramref name="alias"/> to <paramref name="model"/>'s aliases; no change when it is there already.</summary>
    /// <exception cref="InvalidOperationException">models.yaml has a shape this edit cannot place the alias in (the message says what to do).</exception>
    public static void AddAlias(string path, string model, string alias) => Rewrite(path, text => Insert(text, model, alias, path));

    /// <summary>Sets (or, for a null value, removes) keys of <paramref name="model"/>'s entry; see <see cref="SetKeys(string, string, IReadOnlyList{YamlKeyEdit}, string)"/>.</summary>
    public static void SaveKeys(string path, string model, IReadOnlyList<YamlKeyEdit> edits) => Rewrite(path, text => SetKeys(text, model, edits, path));

    private static void Rewrite(string path, Func<string, string> edit)
    {
        var text = File.Exists(path) ? File.ReadAllText(path) : "";
        var updated = edit(text);
        if (!ReferenceEquals(updated, text))
        {
            // Never write a file the loader would read worse than before: the user's file stays as it was.
            var before = ModelOverridesFile.Parse(text, path).Errors;
            if (ModelOverridesFile.Parse(updated, path).Errors.Except(before).FirstOrDefault() is { } problem)
            {
                throw new InvalidOperationException($"the change would make models.yaml invalid ({problem}); nothing was written");
            }
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            AtomicFile.WriteIfChanged(path, updated);
        }
    }

    /// <summary>The file's text with the alias added (the same instance when it is there already).</summary>
    public static string Insert(string text, string model, string alias, string source = "models.yaml")
    {
        var quotedAlias = Quote(alias);
        var entry = Locate(text, model, source, "copy again");
        if (entry.Settings is not { } settings)
        {
            return entry.WithNewKeys(text, [$"aliases: [{quotedAlias}]"]);
        }
        var aliases = settings.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode { Value: "aliases" });
        if (aliases.Key is null)
        {
            return entry.WithNewKeys(text, [$"aliases: [{quotedAlias}]"]);
        }
        if (aliases.Value is not YamlSequenceNode sequence)
        {
            throw new InvalidOperationException($"{source}:{aliases.Key.Start.Line}: models.{model}.aliases is not a list; fix it, then copy again");
        }
        if (sequence.Children.OfType<YamlScalarNode>().Any(a => a.Value == alias))
        {
            return text;
        }
        if (sequence.Style == SequenceStyle.Flow)
        {
            // Insert before the closing bracket: the first ']' after the last item (or after '[').
            var from = sequence.Children.Count > 0 ? (int)sequence.Children[^1].End.Index : (int)sequence.Start.Index + 1;
            var close = text.IndexOf(']', Math.Clamp(from, 0, text.Length));
            if (close < 0)
            {
                throw new InvalidOperationException($"{source}:{aliases.Key.Start.Line}: models.{model}.aliases: no closing ']'; fix it, then copy again");
            }
            var insertion = sequence.Children.Count == 0 ? quotedAlias : ", " + quotedAlias;
            return text[..close] + insertion + text[close..];
        }
        var last = sequence.Children[^1];
        var dashIndent = Math.Max(0, (int)last.Start.Column - 3);
        var lines = Lines(text);
        lines.Insert(Math.Min((int)last.End.Line, lines.Count), $"{new string(' ', dashIndent)}- {quotedAlias}");
        return string.Join('\n', lines);
    }

    /// <summary>
    /// The file's text with each edit applied to <paramref name="model"/>'s entry: a key present is
    /// replaced on its own lines (or removed when the edit's value is null), a key absent is added under
    /// the entry; every other line stays as written. The same instance when nothing changes.
    /// </summary>
    /// <exception cref="InvalidOperationException">models.yaml has a shape this edit cannot change (the message says what to do).</exception>
    public static string SetKeys(string text, string model, IReadOnlyList<YamlKeyEdit> edits, string source = "models.yaml")
    {
        var entry = Locate(text, model, source, "save again");
        if (entry.Settings is not { } settings)
        {
            var added = edits.Where(e => e.Value is not null).Select(e => $"{e.Key}: {e.Value}").ToList();
            return added.Count == 0 ? text : entry.WithNewKeys(text, added);
        }
        var lines = Lines(text);
        // Line edits applied bottom-up, so earlier line numbers stay valid.
        var replacements = new List<(int First, int Last, string? Line)>();
        var additions = new List<string>();
        var settingIndent = new string(' ', (int)settings.Children.First().Key.Start.Column - 1);
        foreach (var edit in edits)
        {
            var present = settings.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode s && edit.Names.Contains(s.Value ?? "", StringComparer.Ordinal));
            if (present.Key is null)
            {
                if (edit.Value is not null)
                {
                    additions.Add($"{edit.Key}: {edit.Value}");
                }
                continue;
            }
            var first = (int)present.Key.Start.Line;
            var last = Math.Max(first, LastLine(present.Value));
            replacements.Add((first, last, edit.Value is null ? null : $"{settingIndent}{((YamlScalarNode)present.Key).Value}: {edit.Value}"));
        }
        if (replacements.Count == 0 && additions.Count == 0)
        {
            return text;
        }
        foreach (var (first, last, line) in replacements.OrderByDescending(r => r.First))
        {
            lines.RemoveRange(first - 1, last - first + 1);
            if (line is not null)
            {
                lines.Insert(first - 1, line);
            }
        }
        if (replacements.Count(r => r.Line is null) == settings.Children.Count && additions.Count == 0)
        {
            // Every key removed: an empty mapping, since a key with no value reads as "not a mapping".
            lines[entry.KeyLine - 1] = lines[entry.KeyLine - 1].TrimEnd() + " {}";
        }
        if (additions.Count > 0)
        {
            // After the entry's key line: no replaced line sits above it, so its number still holds.
            lines.InsertRange(Math.Min(entry.KeyLine, lines.Count), additions.Select(a => settingIndent + a));
        }
        var updated = string.Join('\n', lines);
        return updated == text ? text : updated;
    }

    /// <summary>Where the model's entry is (or where a new one goes), after checking the file's shape.</summary>
    private static EntryLocation Locate(string text, string model, string source, string retry)
    {
        var quotedModel = Quote(model);
        if (text.Trim().Length == 0)
        {
            return new EntryLocation(null, 0, $"models:\n  {quotedModel}:", "    ", Append: true);
        }
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new InvalidOperationException($"{source}:{ex.Start.Line}: not valid YAML ({ex.Message}); fix it, then {retry}");
        }
        var root = stream.Documents.FirstOrDefault()?.RootNode as YamlMappingNode
            ?? throw new InvalidOperationException($"{source}: the top level is not a mapping; edit models.{model} by hand");
        var models = root.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode { Value: "models" });
        if (models.Key is null)
        {
            return new EntryLocation(null, 0, $"models:\n  {quotedModel}:", "    ", Append: true);
        }
        if (models.Value is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            return new EntryLocation(null, (int)models.Key.Start.Line, $"  {quotedModel}:", "    ", Append: false);
        }
        if (models.Value is not YamlMappingNode { Style: not MappingStyle.Flow } entries)
        {
            throw new InvalidOperationException($"{source}:{models.Key.Start.Line}: models is not a block mapping; edit models.{model} by hand");
        }
        var entry = entries.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode s && s.Value == model);
        var entryIndent = entries.Children.Count > 0 ? (int)entries.Children.First().Key.Start.Column - 1 : 2;
        var pad = new string(' ', entryIndent);
        if (entry.Key is null)
        {
            return new EntryLocation(null, (int)models.Key.Start.Line, $"{pad}{quotedModel}:", pad + "  ", Append: false);
        }
        if (entry.Value is YamlScalarNode { Value: null or "" or "~" or "null" } or YamlMappingNode { Style: MappingStyle.Flow, Children.Count: 0 })
        {
            return new EntryLocation(null, (int)entry.Key.Start.Line, null, pad + "  ", Append: false, EmptyFlow: entry.Value is YamlMappingNode);
        }
        if (entry.Value is not YamlMappingNode { Style: not MappingStyle.Flow } settings || settings.Children.Count == 0)
        {
            throw new InvalidOperationException($"{source}:{entry.Key.Start.Line}: models.{model} is not a block mapping; edit it by hand");
        }
        return new EntryLocation(settings, (int)entry.Key.Start.Line, null, new string(' ', (int)settings.Children.First().Key.Start.Column - 1), Append: false);
    }

    /// <summary>The last line a value spans (a block list's or mapping's last item, a scalar's own line).</summary>
    private static int LastLine(YamlNode node) => node switch
    {
        YamlSequenceNode { Style: not SequenceStyle.Flow, Children.Count: > 0 } sequence => LastLine(sequence.Children[^1]),
        YamlMappingNode { Style: not MappingStyle.Flow, Children.Count: > 0 } mapping => LastLine(mapping.Children.Last().Value),
        YamlScalarNode { Style: ScalarStyle.Literal or ScalarStyle.Folded } block => (int)block.End.Line - (block.End.Column == 1 ? 1 : 0),
        _ => (int)node.End.Line,
    };

    private static List<string> Lines(string text) => [.. text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n')];

    /// <summary>A double-quoted YAML scalar (JSON strings are valid YAML): names hold ':' and '/'.</summary>
    private static string Quote(string value) => JsonSerializer.Serialize(value);

    /// <param name="Settings">The entry's block mapping, when it has one.</param>
    /// <param name="KeyLine">The line after which new lines go (0: at the end of the file).</param>
    /// <param name="Header">The lines that open the entry (and the models key) when they must be written too.</param>
    /// <param name="Indent">The indentation of the entry's keys when the entry is new or empty.</param>
    /// <param name="EmptyFlow">The entry is written <c>{}</c>, which goes when keys are added under it.</param>
    private readonly record struct EntryLocation(YamlMappingNode? Settings, int KeyLine, string? Header, string Indent, bool Append, bool EmptyFlow = false)
    {
        /// <summary>The text with a new or empty entry given <paramref name="keys"/>.</summary>
        public string WithNewKeys(string text, IReadOnlyList<string> keys)
        {
            var indent = Indent;
            var block = string.Join('\n', (Header is null ? [] : new[] { Header }).Concat(keys.Select(k => indent + k)));
            if (Append)
            {
                var suffix = text.Length == 0 || text.EndsWith('\n') ? "" : "\n";
                return text.Trim().Length == 0 ? block + "\n" : text + suffix + block + "\n";
            }
            var lines = Lines(text);
            if (EmptyFlow)
            {
                var keyLine = lines[KeyLine - 1];
                var braces = keyLine.LastIndexOf("{}", StringComparison.Ordinal);
                lines[KeyLine - 1] = (keyLine[..braces] + keyLine[(braces + 2)..]).TrimEnd();
            }
            lines.InsertRange(Math.Min(KeyLine, lines.Count), block.Split('\n'));
            return string.Join('\n', lines);
        }
    }
}
