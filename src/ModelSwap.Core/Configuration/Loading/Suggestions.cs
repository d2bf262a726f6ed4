namespace ModelSwap.Core.Configuration.Loading;

/// <summary>"did you mean …?" for misspelt keys, macros and model ids.</summary>
internal static class Suggestions
{
    /// <summary>The closest candidate within a small edit distance, or null.</summary>
    public static string? Closest(string word, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        var limit = word.Length <= 4 ? 1 : 2;
        foreach (var candidate in candidates)
        {
            if (string.Equals(candidate, word, StringComparison.Ordinal))
            {
                continue;
            }
            // A difference in case alone is the likeliest slip of all.
            var distance = string.Equals(candidate, word, StringComparison.OrdinalIgnoreCase)
                ? 0
                : Distance(word.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance <= limit && distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    /// <summary>" (did you mean 'x'?)" or an empty string.</summary>
    public static string Hint(string word, IEnumerable<string> candidates, string prefix = "'", string suffix = "'") =>
        Closest(word, candidates) is { } match ? $"; did you mean {prefix}{match}{suffix}?" : "";

    /// <summary>Optimal string alignment distance (Levenshtein plus adjacent transpositions).</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }
        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }
        return d[a.Length, b.Length];
    }
}
