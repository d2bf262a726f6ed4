namespace ModelSwap.Gateway.Management;

/// <summary>
/// The Hugging Face and download operations every face uses (the <c>/api/hub</c> and
/// <c>/api/downloads</c> routes, the dashboard's model manager). Failures are
/// <see cref="ManagementException"/>s whose messages say what to do (set <c>HF_TOKEN</c> for a gated
/// repo, <c>HF_ENDPOINT</c> for an unreachable hub), so every face explains them in the same words.
/// Progress is <see cref="DownloadChanged"/>, which the event stream publishes as
/// <see cref="ServerEventNames.Download"/> events.
/// </summary>
public interface IModelHub
{
    /// <summary>
    /// A download progressed (at most 10 times a second per download) or ended. Raised on the download's
    /// own thread: handlers return quickly and marshal to their own context.
    /// </summary>
    event Action<DownloadView>? DownloadChanged;

    /// <summary>The Hub this service talks to (HF_ENDPOINT, else huggingface.co).</summary>
    Uri Endpoint { get; }

    /// <summary>GGUF models matching <paramref name="query"/>, best first by <paramref name="sort"/>; <paramref name="limit"/> is clamped to 1..100.</summary>
    Task<IReadOnlyList<HubModelView>> SearchAsync(string? query, HubSortOrder sort, int limit, string? author, CancellationToken cancellationToken);

    /// <summary>A repository's files at a revision (null: main), its GGUF models grouped by quantization.</summary>
    Task<HubRepoFilesView> GetFilesAsync(string repo, string? revision, CancellationToken cancellationToken);

    /// <summary>
    /// Plans and queues a pull: <paramref name="model"/> is org/repo, org/repo:QUANT, org/repo/FILE.gguf or
    /// hf.co/org/repo:QUANT (all split parts and the projector come along). Pulling files a running job
    /// already fetches returns that job.
    /// </summary>
    Task<DownloadView> StartDownloadAsync(string? model, string? revision, CancellationToken cancellationToken);

    /// <summary>Every download of this service's lifetime, oldest first.</summary>
    IReadOnlyList<DownloadView> ListDownloads();

    /// <summary>One download. NotFound for an unknown id.</summary>
    DownloadView GetDownload(string id);

    /// <summary>Cancels a queued or running download; <paramref name="keepPartial"/> keeps the .part for <see cref="ResumeDownload"/>. Conflict once it has finished.</summary>
    DownloadView CancelDownload(string id, bool keepPartial);

    /// <summary>Runs a cancelled or failed download again under the same id, continuing from its kept .part files. Conflict once completed.</summary>
    DownloadView ResumeDownload(string id);
}
