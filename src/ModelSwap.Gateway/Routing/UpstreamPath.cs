using ModelSwap.Core.Configuration;

namespace ModelSwap.Gateway.Routing;

/// <summary>
/// Splits `/upstream/{model}/{path}` where the model id may itself contain '/': the longest model
/// id (or alias) that is the whole path or a prefix followed by '/' wins.
/// </summary>
internal static class UpstreamPath
{
    public static (string ModelId, string Path)? Match(string rest, ModelSwapConfig config)
    {
        string? bestName = null;
        foreach (var name in config.ModelIdsByName.Keys)
        {
            if (rest.StartsWith(name, StringComparison.Ordinal)
                && (rest.Length == name.Length || rest[name.Length] == '/')
                && (bestName is null || name.Length > bestName.Length))
            {
                bestName = name;
            }
        }
        if (bestName is null)
        {
            return null;
        }
        var path = rest.Length == bestName.Length ? "/" : rest[bestName.Length..];
        return (config.ModelIdsByName[bestName], path);
    }
}
