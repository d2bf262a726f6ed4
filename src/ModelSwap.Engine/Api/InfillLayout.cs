namespace ModelSwap.Engine.Api;

/// <summary>
/// The prompt of a fill-in-the-middle request, token by token, laid out as llama-server's /infill does
/// (prefix-suffix-middle order):
/// <code>[extra context][BOS]&lt;PRE&gt;prefix prompt&lt;SUF&gt;suffix&lt;MID&gt;</code>
/// With a repository marker (FIM_REP) and a file separator (FIM_SEP) the extra context takes the
/// repo-level shape (<c>&lt;REP&gt;myproject\n&lt;SEP&gt;name\ntext…&lt;SEP&gt;filename\n</c>); without them each
/// extra chunk follows a plain-text snippet line. The text nearest the cursor is kept when something
/// must be cut: the end of the prefix, the start of the suffix, the last extra chunks.
/// </summary>
internal static class InfillLayout
{
    /// <summary>
    /// Lays the tokens out. <paramref name="batch"/> bounds prefix and suffix (three quarters of it for
    /// the prefix, the rest of a quarter for the suffix); extra context gets what the context has left
    /// after them and twice the reply (llama-server's rule, so both runtimes keep the same tokens).
    /// </summary>
    public static int[] Build(InfillTokens tokens, IReadOnlyList<int> prefix, IReadOnlyList<int> suffix, IReadOnlyList<int> prompt,
        IReadOnlyList<int> extra, int batch, int context, int? maxTokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var prefixTake = Math.Min(prefix.Count, 3 * (batch / 4));
        var suffixTake = Math.Min(suffix.Count, Math.Max(0, batch / 4 - (2 + prompt.Count)));
        var predict = maxTokens ?? -1;
        var extraTake = Math.Min(Math.Max(0, context - batch - 2 * predict), extra.Count);

        var layout = new List<int>(extraTake + prefixTake + suffixTake + prompt.Count + 4);
        layout.AddRange(extra.Skip(extra.Count - extraTake));
        if (tokens.Bos is { } bos)
        {
            layout.Add(bos);
        }
        layout.Add(tokens.Prefix);
        layout.AddRange(prefix.Skip(prefix.Count - prefixTake));
        layout.AddRange(prompt);
        layout.Add(tokens.Suffix);
        layout.AddRange(suffix.Take(suffixTake));
        layout.Add(tokens.Middle);
        return [.. layout];
    }

    /// <summary>The extra context's tokens (see the class summary); <paramref name="tokenize"/> reads plain text, no specials.</summary>
    public static List<int> Extra(InfillTokens tokens, IReadOnlyList<InfillChunk> chunks, Func<string, IReadOnlyList<int>> tokenize)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(tokenize);
        var extra = new List<int>();
        if (tokens.Repository is { } repository)
        {
            extra.Add(repository);
            extra.AddRange(tokenize("myproject\n"));
        }
        foreach (var chunk in chunks)
        {
            if (tokens.FileSeparator is { } separator)
            {
                extra.Add(separator);
                extra.AddRange(tokenize(chunk.FileName + "\n"));
            }
            else
            {
                extra.AddRange(tokenize("\n\n--- snippet ---\n\n"));
            }
            extra.AddRange(tokenize(chunk.Text));
        }
        if (tokens.FileSeparator is { } current)
        {
            extra.Add(current);
            extra.AddRange(tokenize("filename\n"));
        }
        return extra;
    }
}
