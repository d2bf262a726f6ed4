using System.Text;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ModelSwap.Core.Catalog;

/// <summary>
/// Adds an alias to a model in models.yaml (Ollama's "copy"), editing the text in place so the
/// user's comments, order and formatting survive: only the alias is inserted. Writes atomically.
/// </summary>
public static class ModelAliasWriter
{
    /// <summary>Adds <paramref name="alias"/> to <paramref name="model"/>'s aliases; no change when it is there already.</summary>
    /// <exception cref="InvalidOperationException">models.yaml has a shape this edit cannot place the alias in (the message says what to do).</exception>
    public static void AddAlias(string path, string model, string alias)
    {
        var text = File.Exists(path) ? File.ReadAllText(path) : "";
        var updated = Insert(text, model, alias, path);
        if (!ReferenceEquals(updated, text))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            AtomicFile.WriteIfChanged(path, updated);
        }
    }

    /// <summary>The file's text with the alias added (the same instance when it is there already).</summary>
    public static string Insert(string text, string model, string alias, string source = "models.yaml")
    {
        var quotedModel = Quote(model);
        var quotedAlias = Quote(alias);
        if (text.Trim().Length == 0)
        {
            return $"models:\n  {quotedModel}:\n    aliases: [{quotedAlias}]\n";
        }
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new InvalidOperationException($"{source}:{ex.Start.Line}: not valid YAML ({ex.Message}); fix it, then copy again");
        }
        var root = stream.Documents.FirstOrDefault()?.RootNode as YamlMappingNode
            ?? throw new InvalidOperationException($"{source}: the top level is not a mapping; add the alias under models.{model}.aliases by hand");
        var lines = new List<string>(text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n'));
        var models = root.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode { Value: "models" });
        if (models.Key is null)
        {
            var suffix = text.EndsWith('\n') ? "" : "\n";
            return text + suffix + $"models:\n  {quotedModel}:\n    aliases: [{quotedAlias}]\n";
        }
        if (models.Value is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            return InsertAfter(lines, (int)models.Key.Start.Line, $"  {quotedModel}:\n    aliases: [{quotedAlias}]");
        }
        if (models.Value is not YamlMappingNode { Style: not YamlDotNet.Core.Events.MappingStyle.Flow } entries)
        {
            throw new InvalidOperationException($"{source}:{models.Key.Start.Line}: models is not a block mapping; add the alias under models.{model}.aliases by hand");
        }
        var entry = entries.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode s && s.Value == model);
        var entryIndent = entries.Children.Count > 0 ? (int)entries.Children.First().Key.Start.Column - 1 : 2;
        if (entry.Key is null)
        {
            var pad = new string(' ', entryIndent);
            return InsertAfter(lines, (int)models.Key.Start.Line, $"{pad}{quotedModel}:\n{pad}  aliases: [{quotedAlias}]");
        }
        if (entry.Value is YamlScalarNode { Value: null or "" or "~" or "null" })
        {
            return InsertAfter(lines, (int)entry.Key.Start.Line, $"{new string(' ', entryIndent + 2)}aliases: [{quotedAlias}]");
        }
        if (entry.Value is not YamlMappingNode { Style: not YamlDotNet.Core.Events.MappingStyle.Flow } settings)
        {
            throw new InvalidOperationException($"{source}:{entry.Key.Start.Line}: models.{model} is not a block mapping; add the alias by hand");
        }
        var aliases = settings.Children.FirstOrDefault(kv => kv.Key is YamlScalarNode { Value: "aliases" });
        var settingIndent = (int)settings.Children.First().Key.Start.Column - 1;
        if (aliases.Key is null)
        {
            return InsertAfter(lines, (int)entry.Key.Start.Line, $"{new string(' ', settingIndent)}aliases: [{quotedAlias}]");
        }
        if (aliases.Value is not YamlSequenceNode sequence)
        {
            throw new InvalidOperationException($"{source}:{aliases.Key.Start.Line}: models.{model}.aliases is not a list; fix it, then copy again");
        }
        if (sequence.Children.OfType<YamlScalarNode>().Any(a => a.Value == alias))
        {
            return text;
        }
        if (sequence.Style == YamlDotNet.Core.Events.SequenceStyle.Flow)
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
        return InsertAfter(lines, (int)last.End.Line, $"{new string(' ', dashIndent)}- {quotedAlias}");
    }

    private static string InsertAfter(List<string> lines, int lineNumber, string block)
    {
        lines.InsertRange(Math.Min(lineNumber, lines.Count), block.Split('\n'));
        return string.Join('\n', lines);
    }

    /// <summary>A double-quoted YAML scalar (JSON strings are valid YAML): names hold ':' and '/'.</summary>
    private static string Quote(string value) => JsonSerializer.Serialize(value);
}
