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

    /// <summary>
    /// The path after the model name as the client encoded it: the raw request target's segments
    /// after "/upstream" and the model name's segments (an encoded "/" never splits a segment, so
    /// raw and decoded segments correspond one to one).
    /// </summary>
    public static string RawPath(Microsoft.AspNetCore.Http.HttpContext context, (string ModelId, string Path) match)
    {
        var raw = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(raw) || !raw.StartsWith('/'))
        {
            return match.Path;
        }
        var query = raw.IndexOf('?', StringComparison.Ordinal);
        var rawPath = query < 0 ? raw : raw[..query];
        var decoded = context.Request.Path.Value ?? "";
        var rawSegments = rawPath.Split('/');
        var decodedSegments = decoded.Split('/');
        if (rawSegments.Length != decodedSegments.Length)
        {
            return match.Path;
        }
        var prefixSegments = decodedSegments.Length - match.Path.Split('/').Length + 1;
        if (match.Path == "/")
        {
            return "/";
        }
        return "/" + string.Join('/', rawSegments[prefixSegments..]);
    }
}
