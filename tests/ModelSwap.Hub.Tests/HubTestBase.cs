using ModelSwap.Hub.Downloads;
using ModelSwap.Hub.HuggingFace;
using ModelSwap.Testing.HuggingFace;

namespace ModelSwap.Hub.Tests;

/// <summary>A running mirror and a temp models dir per test class instance; both cleaned up.</summary>
public abstract class HubTestBase : IAsyncLifetime
{
    protected HubTestBase()
    {
        ThreadPool.SetMinThreads(64, 64);
        Root = Path.Combine(Path.GetTempPath(), "modelswap-hub-" + Guid.NewGuid().ToString("N")[..12]);
        ModelsDir = Path.Combine(Root, "models");
        Directory.CreateDirectory(ModelsDir);
    }

    protected string Root { get; }

    protected string ModelsDir { get; }

    protected HuggingFaceMirror Mirror { get; private set; } = null!;

    private readonly List<IAsyncDisposable> _disposables = [];

    public async Task InitializeAsync() => Mirror = await HuggingFaceMirror.StartAsync();

    public async Task DisposeAsync()
    {
        foreach (var disposable in Enumerable.Reverse(_disposables))
        {
            await disposable.DisposeAsync();
        }
        await Mirror.DisposeAsync();
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }

    protected HubOptions Hub(string? token = null) => new(Mirror.Endpoint, token)
    {
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
    };

    protected DownloadManager Manager(
        string? token = null, IFreeSpaceProvider? freeSpace = null, int maxResumeAttempts = 5, int concurrency = 2, TimeProvider? time = null)
    {
        var manager = new DownloadManager(
            new DownloadManagerOptions(ModelsDir)
            {
                MaxResumeAttempts = maxResumeAttempts,
                ResumeDelay = TimeSpan.FromMilliseconds(10),
                MaxConcurrentDownloads = concurrency,
                TimeProvider = time ?? TimeProvider.System,
            },
            Hub(token),
            freeSpace);
        _disposables.Add(manager);
        return manager;
    }

    protected static async Task<DownloadStatus> Finished(DownloadJob job) =>
        await job.Completion.WaitAsync(TimeSpan.FromSeconds(60));

    /// <summary>A repo with one model file of <paramref name="size"/> pseudo-random bytes.</summary>
    protected MirrorFile AddModel(string repo, string path, int size, int seed = 1) =>
        Mirror.AddRepo(repo).AddFile(path, MirrorFile.RandomGguf(size, seed));

    protected string FinalPath(string repo, string path) =>
        Path.Combine(ModelsDir, repo.Replace('/', '_'), path.Replace('/', Path.DirectorySeparatorChar));
}
