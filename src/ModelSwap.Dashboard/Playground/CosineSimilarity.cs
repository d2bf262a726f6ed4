namespace ModelSwap.Dashboard.Playground;

/// <summary>The cosine of the angle between two vectors: 1 same direction, 0 unrelated, -1 opposite.</summary>
internal static class CosineSimilarity
{
    public static double Of(IReadOnlyList<float> a, IReadOnlyList<float> b)
    {
        if (a.Count != b.Count)
        {
            throw new ArgumentException($"the vectors differ in length ({a.Count} and {b.Count})");
        }
        double dot = 0, normA = 0, normB = 0;
        for (var i = 0; i < a.Count; i++)
        {
            dot += (double)a[i] * b[i];
            normA += (double)a[i] * a[i];
            normB += (double)b[i] * b[i];
        }
        return normA == 0 || normB == 0 ? 0 : dot / (Math.Sqrt(normA) * Math.Sqrt(normB));
    }
}
