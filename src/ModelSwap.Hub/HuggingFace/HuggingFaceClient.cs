using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace ModelSwap.Hub.HuggingFace;

/// <summary>
/// Reads the Hugging Face Hub: GGUF model search and a repo's file list grouped into variants.
/// Retries 429/5xx with backoff; 401/403 on gated repos become <see cref="HubAccessException"/>.
/// </summary>
public sealed class HuggingFaceClient : IDisposable
{
    private static readonly string[] SearchFields =
        ["author", "downloads", "likes", "lastModified", "trendingScore", "tags", "gated", "createdAt", "pipeline_tag", "private"];

    private readonly HubHttp _http;
    private readonly bool _ownsHttp;

    public HuggingFaceClient(HubOptions options, ILoggerFactory? loggerFactory = null)
        : this(new HubHttp(options, loggerFactory?.CreateLogger<HuggingFaceClient>()), ownsHttp: true)
    {
    }

    internal HuggingFaceClient(HubHttp http, bool ownsHttp)
    {
        _http = http;
        _ownsHttp = ownsHttp;
    }

    public HubOptions Options => _http.Options;

    /// <summary>
    /// GET /api/models?search=…&amp;filter=gguf&amp;sort=…&amp;direction=-1&amp;limit=…[&amp;author=…].
    /// Results come back in the Hub's order (descending by <paramref name="sort"/>).
    /// </summary>
    public async Task<IReadOnlyList<HubModelSummary>> SearchAsync(
        string? query, HubSearchSort sort = HubSearchSort.Downloads, int limit = 20, string? author = null, CancellationToken ct = default)
    {
        if (limit is < 1 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, "limit must be between 1 and 1000.");
        }
        var url = new StringBuilder("api/models?filter=gguf");
        if (!string.IsNullOrWhiteSpace(query))
        {
            url.Append("&search=").Append(Uri.EscapeDataString(query.Trim()));
        }
        if (!string.IsNullOrWhiteSpace(author))
        {
            url.Append("&author=").Append(Uri.EscapeDataString(author.Trim()));
        }
        url.Append("&sort=").Append(sort.ToApiValue()).Append("&direction=-1&limit=").Append(limit.ToString(CultureInfo.InvariantCulture));
        foreach (var field in SearchFields)
        {
            url.Append("&expand=").Append(field);
        }
        using var doc = await GetJsonAsync(new Uri(Options.Endpoint, url.ToString()), "search results", query ?? "", ct).ConfigureAwait(false);
        if (doc.RootElement.ValueKind != JsonValueKind.Array)
        {
            throw new HubException("The Hub's search answer was not a JSON array.");
        }
        return doc.RootElement.EnumerateArray().Select(HubJson.ParseModel).ToList();
    }

    /// <summary>
    /// GET /api/models/{repo}/tree/{revision}?recursive=true (following the Link header's pages),
    /// grouped into GGUF variants (split parts together) and mmproj companions.
    /// </summary>
    public async Task<HubRepoFiles> ListFilesAsync(string repo, string revision = "main", CancellationToken ct = default)
    {
        HubNames.ValidateRepo(repo);
        HubNames.ValidateRevision(revision);
        var files = new List<HubFile>();
        Uri? next = new(Options.Endpoint, $"api/models/{repo}/tree/{Uri.EscapeDataString(revision)}?recursive=true");
        for (var page = 0; next is not null; page++)
        {
            if (page > 1000)
            {
                throw new HubException($"The file list of {repo} has more than 1000 pages; giving up.");
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(Options.ApiTimeout);
            using var response = await _http.GetAsync(next, null, timeout.Token).ConfigureAwait(false);
            if (!response.Message.IsSuccessStatusCode)
            {
                throw HubErrors.FromResponse(response, repo, $"the file list at revision '{revision}'", Options.Endpoint);
            }
            using var doc = await ReadJsonAsync(response, "file list", timeout.Token).ConfigureAwait(false);
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new HubException($"The file list of {repo} was not a JSON array.");
            }
            foreach (var entry in doc.RootElement.EnumerateArray())
            {
                if (HubJson.ParseFile(entry) is { } file)
                {
                    files.Add(file);
                }
            }
            next = NextPage(response);
        }
        var (variants, projectors) = GgufVariantGrouper.Group(files);
        return new HubRepoFiles(repo, revision, files, variants, projectors);
    }

    /// <summary>Lists the repo and picks the files a pull of <paramref name="reference"/> needs.</summary>
    public async Task<Downloads.DownloadRequest> PlanPullAsync(ModelReference reference, CancellationToken ct = default)
    {
        var files = await ListFilesAsync(reference.Repo, reference.Revision, ct).ConfigureAwait(false);
        return PullPlanner.Plan(files, reference);
    }

    private async Task<JsonDocument> GetJsonAsync(Uri uri, string what, string repoOrQuery, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Options.ApiTimeout);
        using var response = await _http.GetAsync(uri, null, timeout.Token).ConfigureAwait(false);
        if (!response.Message.IsSuccessStatusCode)
        {
            throw HubErrors.FromResponse(response, repoOrQuery, what, Options.Endpoint);
        }
        return await ReadJsonAsync(response, what, timeout.Token).ConfigureAwait(false);
    }

    private static async Task<JsonDocument> ReadJsonAsync(HubResponse response, string what, CancellationToken ct)
    {
        try
        {
            var stream = await response.Message.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await JsonDocument.ParseAsync(stream, default, ct).ConfigureAwait(false);
            }
        }
        catch (JsonException e)
        {
            throw new HubException($"The Hub's {what} was not valid JSON: {e.Message}", inner: e);
        }
    }

    private static Uri? NextPage(HubResponse response)
    {
        // Link: <https://huggingface.co/api/models/x/y/tree/main?recursive=true&cursor=…>; rel="next"
        if (!response.Message.Headers.TryGetValues("Link", out var links))
        {
            return null;
        }
        foreach (var link in links.SelectMany(l => l.Split(',')))
        {
            var parts = link.Split(';');
            if (parts.Length >= 2 && parts.Skip(1).Any(p => p.Trim().Equals("rel=\"next\"", StringComparison.OrdinalIgnoreCase)))
            {
                var target = parts[0].Trim().TrimStart('<').TrimEnd('>');
                if (Uri.TryCreate(response.FinalUri, target, out var next))
                {
                    return next;
                }
            }
        }
        return null;
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }
}
