using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ModelSwap.Testing.HuggingFace;

/// <summary>The mirror's HTTP handlers, shaped like the Hub's answers (field names, headers, error codes).</summary>
internal sealed class MirrorEndpoints
{
    private readonly HuggingFaceMirror _mirror;

    public MirrorEndpoints(HuggingFaceMirror mirror)
    {
        _mirror = mirror;
    }

    public async Task Search(HttpContext context)
    {
        var q = context.Request.Query;
        var search = q["search"].FirstOrDefault() ?? "";
        var author = q["author"].FirstOrDefault();
        var filter = q["filter"].FirstOrDefault();
        var sort = q["sort"].FirstOrDefault() ?? "downloads";
        var limit = int.TryParse(q["limit"].FirstOrDefault(), out var l) ? l : 1000;
        IEnumerable<MirrorRepo> hits = AllRepos()
            .Where(r => r.Id.Contains(search, StringComparison.OrdinalIgnoreCase))
            .Where(r => author is null || string.Equals(r.Author, author, StringComparison.OrdinalIgnoreCase))
            .Where(r => filter is null || r.Tags.Contains(filter, StringComparer.OrdinalIgnoreCase));
        hits = sort switch
        {
            "likes" => hits.OrderByDescending(r => r.Likes),
            "lastModified" => hits.OrderByDescending(r => r.LastModified),
            "trendingScore" => hits.OrderByDescending(r => r.TrendingScore),
            _ => hits.OrderByDescending(r => r.Downloads),
        };
        var body = hits.Take(limit).Select(r => new Dictionary<string, object?>
        {
            ["_id"] = r.Commit[..24],
            ["id"] = r.Id,
            ["modelId"] = r.Id,
            ["author"] = r.Author,
            ["downloads"] = r.Downloads,
            ["likes"] = r.Likes,
            ["trendingScore"] = r.TrendingScore,
            ["lastModified"] = r.LastModified.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            ["createdAt"] = r.CreatedAt.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture),
            ["tags"] = r.Tags,
            ["gated"] = r.Gated is null ? false : r.Gated,
            ["private"] = false,
            ["pipeline_tag"] = "text-generation",
            ["library_name"] = "gguf",
        }).ToList();
        await context.Response.WriteAsJsonAsync(body).ConfigureAwait(false);
    }

    public async Task Tree(HttpContext context)
    {
        if (await CheckRepoAsync(context) is not { } repo)
        {
            return;
        }
        var entries = new List<Dictionary<string, object?>>();
        foreach (var folder in repo.Files.SelectMany(f => Folders(f.Path)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            entries.Add(new() { ["type"] = "directory", ["oid"] = new string('d', 40), ["size"] = 0, ["path"] = folder });
        }
        foreach (var file in repo.Files)
        {
            var entry = new Dictionary<string, object?> { ["type"] = "file", ["oid"] = file.GitOid, ["size"] = file.Size, ["path"] = file.Path };
            if (file.Lfs)
            {
                entry["lfs"] = new Dictionary<string, object?> { ["oid"] = file.Sha256, ["size"] = file.Size, ["pointerSize"] = 134 };
            }
            entries.Add(entry);
        }
        var cursor = int.TryParse(context.Request.Query["cursor"].FirstOrDefault(), out var c) ? c : 0;
        var page = entries.Skip(cursor).Take(_mirror.TreePageSize).ToList();
        if (cursor + page.Count < entries.Count)
        {
            var next = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.Path}?recursive=true&cursor={cursor + page.Count}";
            context.Response.Headers.Link = $"<{next}>; rel=\"next\"";
        }
        await context.Response.WriteAsJsonAsync(page).ConfigureAwait(false);
    }

    public async Task Resolve(HttpContext context)
    {
        if (await CheckRepoAsync(context) is not { } repo)
        {
            return;
        }
        var path = (string)context.Request.RouteValues["path"]!;
        var file = repo.Find(path);
        if (file is null)
        {
            await ErrorAsync(context, 404, "EntryNotFound", $"{path} does not exist on \"{context.Request.RouteValues["revision"]}\"").ConfigureAwait(false);
            return;
        }
        context.Response.Headers["X-Repo-Commit"] = repo.Commit;
        if (_mirror.RedirectResolveToCdn)
        {
            context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            context.Response.Headers["X-Linked-Etag"] = $"\"{file.Sha256}\"";
            context.Response.Headers["X-Linked-Size"] = file.Size.ToString(CultureInfo.InvariantCulture);
            context.Response.Headers.Location = new Uri(_mirror.CdnEndpoint, $"cdn/{repo.Id}/{repo.Commit}/{path}?X-Amz-Signature=sig123").AbsoluteUri;
            return;
        }
        await MirrorFileWriter.ServeAsync(context, _mirror, repo, file).ConfigureAwait(false);
    }

    public async Task PlainFile(HttpContext context)
    {
        var id = $"{context.Request.RouteValues["owner"]}/{context.Request.RouteValues["name"]}";
        var repo = _mirror.FindRepo(id);
        var file = repo?.Find((string)context.Request.RouteValues["path"]!);
        if (file is null)
        {
            context.Response.StatusCode = 404;
            return;
        }
        await MirrorFileWriter.ServeAsync(context, _mirror, repo!, file).ConfigureAwait(false);
    }

    public async Task Cdn(HttpContext context)
    {
        var id = $"{context.Request.RouteValues["owner"]}/{context.Request.RouteValues["name"]}";
        var file = _mirror.FindRepo(id)?.Find((string)context.Request.RouteValues["path"]!);
        if (file is null || context.Request.Query["X-Amz-Signature"] != "sig123")
        {
            context.Response.StatusCode = file is null ? 404 : 403;
            return;
        }
        await MirrorFileWriter.ServeAsync(context, _mirror, _mirror.FindRepo(id)!, file).ConfigureAwait(false);
    }

    /// <summary>Repo lookup and gate check with the Hub's status codes and X-Error-Code values.</summary>
    private async Task<MirrorRepo?> CheckRepoAsync(HttpContext context)
    {
        var id = $"{context.Request.RouteValues["owner"]}/{context.Request.RouteValues["name"]}";
        var auth = context.Request.Headers.Authorization.FirstOrDefault();
        var repo = _mirror.FindRepo(id);
        if (repo is null)
        {
            // Like the Hub: anonymous callers get 401 for missing repos, so private ones don't leak.
            await ErrorAsync(context, auth is null ? 401 : 404, "RepoNotFound", "Repository Not Found").ConfigureAwait(false);
            return null;
        }
        if (repo.RequiredToken is { } token && auth != $"Bearer {token}")
        {
            await ErrorAsync(context, auth is null ? 401 : 403, "GatedRepo",
                $"Access to model {id} is restricted. You must have access to it and be authenticated to access it.").ConfigureAwait(false);
            return null;
        }
        var revision = (string)context.Request.RouteValues["revision"]!;
        if (revision != "main" && revision != repo.Commit)
        {
            await ErrorAsync(context, 404, "RevisionNotFound", $"Invalid rev id: {revision}").ConfigureAwait(false);
            return null;
        }
        return repo;
    }

    private static async Task ErrorAsync(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.Headers["X-Error-Code"] = code;
        context.Response.Headers["X-Error-Message"] = message;
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { error = message })).ConfigureAwait(false);
    }

    private IEnumerable<MirrorRepo> AllRepos() => _mirror.AllRepos();

    private static IEnumerable<string> Folders(string path)
    {
        var parts = path.Split('/');
        for (var i = 1; i < parts.Length; i++)
        {
            yield return string.Join('/', parts.Take(i));
        }
    }
}
