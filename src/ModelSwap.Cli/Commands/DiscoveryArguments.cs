using ModelSwap.Core.Catalog;

namespace ModelSwap.Cli.Commands;

/// <summary>Turns `--models-dir DIR`… into catalog options, shared by serve, config generate and models list/show.</summary>
internal static class DiscoveryArguments
{
    /// <summary>
    /// The given folders, which must exist; without any, the default folder, created when missing
    /// so there is somewhere to drop models. Null (after an error on <paramref name="error"/>) when
    /// a given folder does not exist.
    /// </summary>
    public static CatalogOptions? Options(string[]? modelsDirs, TextWriter error, bool createDefault = true)
    {
        if (modelsDirs is { Length: > 0 })
        {
            var full = modelsDirs.Select(d => Path.GetFullPath(CatalogPaths.ExpandHome(d))).Distinct(StringComparer.Ordinal).ToList();
            var missing = full.Where(d => !Directory.Exists(d)).ToList();
            foreach (var directory in missing)
            {
                error.WriteLine($"error: --models-dir {directory}: no such folder");
            }
            return missing.Count > 0 ? null : new CatalogOptions { ModelDirectories = full };
        }
        var fallback = CatalogPaths.DefaultModelsDirectory();
        if (createDefault && !Directory.Exists(fallback))
        {
            Directory.CreateDirectory(fallback);
            error.WriteLine($"Created the models folder {fallback}: put .gguf files there and they are served");
        }
        return new CatalogOptions { ModelDirectories = [fallback] };
    }
}
