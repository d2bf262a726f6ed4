namespace ModelSwap.Core.Configuration.Loading;

/// <summary>Key paths whose values are secrets: diagnostics about them never quote the value.</summary>
internal static class SecretPaths
{
    public static bool IsSecret(string path) =>
        path.StartsWith("apiKeys", StringComparison.Ordinal)
        || path.Contains(".env[", StringComparison.Ordinal) || path.EndsWith(".env", StringComparison.Ordinal);
}
