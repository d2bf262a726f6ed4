using System.Globalization;
using System.Text.Json;

namespace ModelSwap.Hub.HuggingFace;

/// <summary>
/// Reads the Hub's JSON with its real field names, tolerating absent fields: the search API only returns
/// what `expand` asked for, and `gated` is false, "auto" or "manual".
/// </summary>
internal static class HubJson
{
    public static HubModelSummary ParseModel(JsonElement e)
    {
        var id = String(e, "id") ?? String(e, "modelId")
            ?? throw new HubException("A search result had no 'id'.");
        var author = String(e, "author") ?? (id.Contains('/') ? id[..id.IndexOf('/')] : "");
        string? gated = null;
        if (e.TryGetProperty("gated", out var g))
        {
            gated = g.ValueKind switch
            {
                JsonValueKind.String => g.GetString(),
                JsonValueKind.True => "auto",
                _ => null,
            };
        }
        var tags = e.TryGetProperty("tags", out var t) && t.ValueKind == JsonValueKind.Array
            ? t.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList()
            : [];
        return new HubModelSummary(
            id,
            author,
            Long(e, "downloads") ?? 0,
            Long(e, "likes") ?? 0,
            e.TryGetProperty("trendingScore", out var ts) && ts.ValueKind == JsonValueKind.Number ? ts.GetDouble() : null,
            Date(e, "lastModified"),
            Date(e, "createdAt"),
            tags,
            gated,
            e.TryGetProperty("private", out var p) && p.ValueKind == JsonValueKind.True,
            String(e, "pipeline_tag"));
    }

    /// <summary>A tree entry: {"type":"file","oid":…,"size":…,"path":…,"lfs":{"oid":sha256,"size":…}}; null for folders.</summary>
    public static HubFile? ParseFile(JsonElement e)
    {
        if (String(e, "type") is { } type && type != "file")
        {
            return null;
        }
        var path = String(e, "path");
        if (path is null)
        {
            return null;
        }
        var size = Long(e, "size") ?? 0;
        string? sha = null;
        if (e.TryGetProperty("lfs", out var lfs) && lfs.ValueKind == JsonValueKind.Object)
        {
            sha = String(lfs, "oid") ?? String(lfs, "sha256");
            if (sha is not null && sha.StartsWith("sha256:", StringComparison.Ordinal))
            {
                sha = sha["sha256:".Length..];
            }
            size = Long(lfs, "size") ?? size;
        }
        return new HubFile(path, size, sha is { Length: 64 } ? sha.ToLowerInvariant() : null);
    }

    private static string? String(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long? Long(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;

    private static DateTimeOffset? Date(JsonElement e, string name) =>
        String(e, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d : null;
}
