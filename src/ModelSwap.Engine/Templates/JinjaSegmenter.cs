using System.Text.RegularExpressions;

namespace ModelSwap.Engine.Templates;

/// <summary>
/// Splits template source into text and tags, applying Jinja's whitespace rules the way Hugging Face
/// configures them for chat templates: `-` strips on its side, trim_blocks drops the newline after a
/// block or comment tag, lstrip_blocks drops the indentation before one, `+` turns both off, and one
/// trailing newline of the source is dropped (keep_trailing_newline=False).
/// </summary>
internal static partial class JinjaSegmenter
{
    private sealed class Tag
    {
        public required char Kind { get; init; } // '{' output, '%' statement, '#' comment
        public required string Inner { get; init; }
        public required int Line { get; init; }
        public bool StripBefore { get; init; }
        public bool StripAfter { get; init; }
        public bool KeepBefore { get; init; }
        public bool KeepAfter { get; init; }
    }

    public static List<JinjaSegment> Split(string source)
    {
        if (source.EndsWith('\n'))
        {
            source = source[..^1];
            if (source.EndsWith('\r'))
            {
                source = source[..^1];
            }
        }

        // Alternating: text, tag, text, tag, ..., text.
        var texts = new List<string>();
        var tags = new List<Tag>();
        var position = 0;
        var line = 1;
        while (true)
        {
            var open = FindOpen(source, position);
            if (open < 0)
            {
                texts.Add(source[position..]);
                break;
            }
            var text = source[position..open];
            line += Count(text, '\n');
            texts.Add(text);
            var kind = source[open + 1];
            var start = open + 2;
            var stripBefore = start < source.Length && source[start] == '-';
            var keepBefore = start < source.Length && source[start] == '+';
            if (stripBefore || keepBefore)
            {
                start++;
            }
            var close = FindClose(source, start, kind, line);
            var end = close;
            var stripAfter = end > start && source[end - 1] == '-';
            var keepAfter = end > start && source[end - 1] == '+';
            if (stripAfter || keepAfter)
            {
                end--;
            }
            var inner = source[start..end];
            tags.Add(new Tag { Kind = kind, Inner = inner, Line = line, StripBefore = stripBefore, StripAfter = stripAfter, KeepBefore = keepBefore, KeepAfter = keepAfter });
            line += Count(source[open..(close + 2)], '\n');
            position = close + 2;

            if (kind == '%' && inner.Trim() == "raw")
            {
                var endRaw = EndRaw().Match(source, position);
                if (!endRaw.Success)
                {
                    throw new JinjaException($"line {line}: {{% raw %}} without {{% endraw %}}");
                }
                texts.Add(source[position..endRaw.Index]);
                line += Count(source[position..endRaw.Index], '\n');
                // The raw text is emitted as is; the endraw tag behaves as a comment for whitespace.
                tags.Add(new Tag { Kind = '#', Inner = "", Line = line, StripBefore = endRaw.Groups[1].Value == "-", StripAfter = endRaw.Groups[2].Value == "-" });
                position = endRaw.Index + endRaw.Length;
            }
        }

        for (var i = 0; i < tags.Count; i++)
        {
            var tag = tags[i];
            var block = tag.Kind is '%' or '#';
            if (tag.StripBefore)
            {
                texts[i] = texts[i].TrimEnd();
            }
            else if (block && !tag.KeepBefore)
            {
                texts[i] = LstripBlock(texts[i], atStart: i == 0);
            }
            if (tag.StripAfter)
            {
                texts[i + 1] = texts[i + 1].TrimStart();
            }
            else if (block && !tag.KeepAfter)
            {
                if (texts[i + 1].StartsWith("\r\n", StringComparison.Ordinal))
                {
                    texts[i + 1] = texts[i + 1][2..];
                }
                else if (texts[i + 1].StartsWith('\n'))
                {
                    texts[i + 1] = texts[i + 1][1..];
                }
            }
        }

        var segments = new List<JinjaSegment>(texts.Count + tags.Count);
        for (var i = 0; i < texts.Count; i++)
        {
            if (texts[i].Length > 0)
            {
                segments.Add(new JinjaSegment(JinjaSegmentKind.Text, texts[i], i < tags.Count ? tags[i].Line : line));
            }
            if (i < tags.Count && tags[i].Kind != '#')
            {
                segments.Add(new JinjaSegment(tags[i].Kind == '{' ? JinjaSegmentKind.Output : JinjaSegmentKind.Statement, tags[i].Inner, tags[i].Line));
            }
        }
        return segments;
    }

    /// <summary>Drops spaces and tabs before a block tag when only they stand between it and the line's start.</summary>
    private static string LstripBlock(string text, bool atStart)
    {
        var i = text.Length;
        while (i > 0 && text[i - 1] is ' ' or '\t')
        {
            i--;
        }
        if (i == 0 ? atStart : text[i - 1] == '\n')
        {
            return text[..i];
        }
        return text;
    }

    private static int FindOpen(string source, int from)
    {
        for (var i = source.IndexOf('{', from); i >= 0 && i + 1 < source.Length; i = source.IndexOf('{', i + 1))
        {
            if (source[i + 1] is '{' or '%' or '#')
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>The index of the closing `}}`, `%}` or `#}`, skipping string literals inside expressions.</summary>
    private static int FindClose(string source, int from, char kind, int line)
    {
        if (kind == '#')
        {
            var end = source.IndexOf("#}", from, StringComparison.Ordinal);
            return end >= 0 ? end : throw new JinjaException($"line {line}: comment not closed with #}}");
        }
        var closer = kind == '{' ? '}' : '%';
        char? quote = null;
        var depth = 0; // dict literals inside the tag: `{{ {'a': {'b': 1}} }}`
        for (var i = from; i + 1 < source.Length; i++)
        {
            var c = source[i];
            if (quote is { } q)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == q)
                {
                    quote = null;
                }
                continue;
            }
            if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == '{')
            {
                depth++;
            }
            else if (c == '}' && depth > 0)
            {
                depth--;
            }
            else if (c == closer && source[i + 1] == '}')
            {
                return i;
            }
        }
        throw new JinjaException($"line {line}: tag not closed with {closer}}}");
    }

    private static int Count(string text, char c)
    {
        var count = 0;
        foreach (var ch in text)
        {
            if (ch == c)
            {
                count++;
            }
        }
        return count;
    }

    [GeneratedRegex(@"\{%(-?)\s*endraw\s*(-?)%\}")]
    private static partial Regex EndRaw();
}
