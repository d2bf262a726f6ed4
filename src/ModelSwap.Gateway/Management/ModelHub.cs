using ModelSwap.Hub.Downloads;
using ModelSwap.Hub.HuggingFace;

namespace ModelSwap.Gateway.Management;

/// <summary>
/// <see cref="IModelHub"/> over the Hub client and the download queue. Every failure leaves as a
/// <see cref="ManagementException"/> (<see cref="HubFailures"/>), so no face maps Hub exceptions itself.
/// </summary>
internal sealed class ModelHub : IModelHub
{
    private readonly HuggingFaceClient _hub;
    private readonly DownloadManager _downloads;

    public ModelHub(HuggingFaceClient hub, DownloadManager downloads)
    {
        _hub = hub;
        _downloads = downloads;
        // Both live as long as the service: the subscription is never removed.
        downloads.ProgressChanged += (_, progress) => DownloadChanged?.Invoke(DownloadView.From(progress.JobId, progress.Request,
            downloads.Get(progress.JobId)?.FinalPaths ?? [], progress.Status));
    }

    public event Action<DownloadView>? DownloadChanged;

    public Uri Endpoint => _hub.Options.Endpoint;

    public Task<IReadOnlyList<HubModelView>> SearchAsync(string? query, HubSortOrder sort, int limit, string? author, CancellationToken cancellationToken) =>
        GuardAsync(async () =>
        {
            var hits = await _hub.SearchAsync(query, ToHub(sort), Math.Clamp(limit, 1, 100), author, cancellationToken).ConfigureAwait(false);
            return (IReadOnlyList<HubModelView>)hits.Select(HubModelView.From).ToList();
        }, cancellationToken);

    public Task<HubRepoFilesView> GetFilesAsync(string repo, string? revision, CancellationToken cancellationToken) =>
        GuardAsync(async () => HubRepoFilesView.From(
            await _hub.ListFilesAsync(repo, string.IsNullOrEmpty(revision) ? "main" : revision, cancellationToken).ConfigureAwait(false)), cancellationToken);

    public Task<DownloadView> StartDownloadAsync(string? model, string? revision, CancellationToken cancellationToken)
    {
        if (!ModelReference.TryParse(model, revision, out var reference, out var error))
        {
            throw new ManagementException(ManagementFailure.InvalidRequest, "invalid_model_reference",
                $"\"model\" must name what to pull (org/repo, org/repo:QUANT, org/repo/FILE.gguf or hf.co/org/repo:QUANT): {error}");
        }
        return GuardAsync(async () =>
        {
            var plan = await _hub.PlanPullAsync(reference, cancellationToken).ConfigureAwait(false);
            return DownloadView.From(_downloads.Enqueue(plan));
        }, cancellationToken);
    }

    public IReadOnlyList<DownloadView> ListDownloads() => _downloads.List().Select(DownloadView.From).ToList();

    public DownloadView GetDownload(string id) => DownloadView.From(Find(id));

    public DownloadView CancelDownload(string id, bool keepPartial)
    {
        var job = Find(id);
        if (!_downloads.Cancel(id, keepPartial))
        {
            throw new ManagementException(ManagementFailure.Conflict, "download_finished",
                $"download '{id}' of {job.Request.Repo} has already {job.State.ToString().ToLowerInvariant()}; there is nothing to cancel");
        }
        return GetDownload(id);
    }

    public DownloadView ResumeDownload(string id)
    {
        try
        {
            return DownloadView.From(_downloads.Resume(id) ?? throw NotFound(id));
        }
        catch (Exception e) when (HubFailures.Translate(e, Endpoint, CancellationToken.None) is { } failure)
        {
            throw failure;
        }
    }

    private DownloadJob Find(string id) => _downloads.Get(id) ?? throw NotFound(id);

    private static ManagementException NotFound(string id) =>
        new(ManagementFailure.NotFound, "download_not_found", $"no download with id '{id}'; GET /api/downloads lists them");

    private async Task<T> GuardAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception e) when (HubFailures.Translate(e, Endpoint, cancellationToken) is { } failure)
        {
            throw failure;
        }
    }

    private static HubSearchSort ToHub(HubSortOrder sort) => sort switch
    {
        HubSortOrder.Likes => HubSearchSort.Likes,
        HubSortOrder.LastModified => HubSearchSort.LastModified,
        HubSortOrder.TrendingScore => HubSearchSort.TrendingScore,
        _ => HubSearchSort.Downloads,
    };
}
