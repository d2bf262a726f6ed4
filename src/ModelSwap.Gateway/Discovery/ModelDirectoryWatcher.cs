using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ModelSwap.Gateway.Discovery;

/// <summary>
/// Keeps the generated config in step with the models folders and models.yaml. File system
/// events (recursive, and on every linked folder outside the roots) start a rescan after a short
/// quiet time; where events cannot be had (inotify limits, a folder that does not exist yet,
/// network drives) or when <see cref="DiscoveryOptions.Polling"/> is set, the folders are polled
/// instead by a cheap fingerprint of names, sizes and times. Files reported pending are checked
/// again until they are complete. One loop does all of it, so regenerations never overlap.
/// </summary>
internal sealed partial class ModelDirectoryWatcher(ModelCatalogService catalog, TimeProvider time, Hosting.ReloadTiming reloadTiming,
    ILogger<ModelDirectoryWatcher> logger)
    : BackgroundService
{
    private (DateTime, long)? _overridesStamp = OverridesStamp(catalog.Options.Catalog.OverridesPath);
    private static readonly TimeSpan MaxDebounce = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxPendingRecheck = TimeSpan.FromSeconds(30);
    private readonly Channel<bool> _signals = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Dictionary<string, FileSystemWatcher> _watchers = new(StringComparer.Ordinal);
    private readonly DiscoveryOptions _options = catalog.Options;
    private volatile bool _polling = catalog.Options.Polling;
    private int _settleWaits;
    private int _regenerations;

    /// <summary>How many quiet-interval waits the settling of models.yaml has begun (tests step a fake clock on it).</summary>
    public int SettleWaits => Volatile.Read(ref _settleWaits);

    /// <summary>How many regenerations this watcher has run, each followed by (re)arming its watches; tests wait for the first.</summary>
    public int Regenerations => Volatile.Read(ref _regenerations);

    /// <summary>True once the watcher polls, by choice or because file events failed.</summary>
    public bool IsPolling => _polling;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The first scan happened before the host started; this one arms the watches and picks up
        // files that were pending then.
        var fingerprint = Fingerprint(stoppingToken);
        var last = await RegenerateAsync("start", stoppingToken).ConfigureAwait(false);
        var recheck = _options.PendingRecheck;
        var pendingSince = time.GetTimestamp();
        IReadOnlyList<string> lastPending = [];
        while (!stoppingToken.IsCancellationRequested)
        {
            var pendingNow = last?.Generation.Scan.Pending ?? [];
            // New pending files are checked often until they settle; one that stays pending beyond
            // that (a stalled copy, a truncated file) less and less often: its completion fires
            // file events anyway, and polling sees it by its size.
            if (!pendingNow.SequenceEqual(lastPending))
            {
                pendingSince = time.GetTimestamp();
                recheck = _options.PendingRecheck;
            }
            else if (time.GetElapsedTime(pendingSince) > _options.Catalog.SettleTime + _options.PendingRecheck)
            {
                recheck = Min(recheck * 2, MaxPendingRecheck);
            }
            lastPending = pendingNow;
            var pending = pendingNow.Count > 0;
            TimeSpan? wait = (pending, _polling) switch
            {
                (true, true) => Min(recheck, _options.PollInterval),
                (true, false) => recheck,
                (false, true) => _options.PollInterval,
                _ => null,
            };
            if (await WaitForSignalAsync(wait, stoppingToken).ConfigureAwait(false))
            {
                await DebounceAsync(stoppingToken).ConfigureAwait(false);
                await WaitForSettledOverridesAsync(stoppingToken).ConfigureAwait(false);
                fingerprint = _polling ? Fingerprint(stoppingToken) : fingerprint;
                last = await RegenerateAsync("files changed", stoppingToken).ConfigureAwait(false) ?? last;
                continue;
            }
            if (_polling)
            {
                var now = Fingerprint(stoppingToken);
                if (now != fingerprint || pending)
                {
                    fingerprint = now;
                    last = await RegenerateAsync(pending ? "pending files" : "poll", stoppingToken).ConfigureAwait(false) ?? last;
                }
            }
            else if (pending)
            {
                last = await RegenerateAsync("pending files", stoppingToken).ConfigureAwait(false) ?? last;
            }
        }
    }

    /// <summary>
    /// When models.yaml changed, waits until it has stopped changing and parses (as a watched
    /// config.yaml does), so a file still being written never regenerates the config half-way.
    /// </summary>
    private async Task WaitForSettledOverridesAsync(CancellationToken stoppingToken)
    {
        var path = _options.Catalog.OverridesPath;
        var stamp = OverridesStamp(path);
        if (stamp is null || stamp == _overridesStamp)
        {
            _overridesStamp = stamp;
            return;
        }
        await Hosting.SettledFile.ReadAsync(path, reloadTiming, t => Core.Catalog.ModelOverridesFile.Parse(t, path).Errors.IsEmpty,
            _ => Interlocked.Increment(ref _settleWaits), stoppingToken).ConfigureAwait(false);
        _overridesStamp = OverridesStamp(path);
    }

    private static (DateTime, long)? OverridesStamp(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? (file.LastWriteTimeUtc, file.Length) : null;
    }

    /// <summary>The folders' fingerprint; a failure to walk them counts as a change, so the rescan reports it.</summary>
    private string Fingerprint(CancellationToken cancellationToken)
    {
        try
        {
            return catalog.Fingerprint(cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return "unreadable:" + ex.Message;
        }
    }

    private async Task<RegenerationResult?> RegenerateAsync(string reason, CancellationToken cancellationToken)
    {
        try
        {
            var result = await catalog.RegenerateAsync(reason, refreshBinary: false, cancellationToken).ConfigureAwait(false);
            if (!_polling)
            {
                Watch(result);
            }
            Interlocked.Increment(ref _regenerations);
            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A failed scan (disk gone, permissions) must not end the watch: the next change retries.
            LogRegenerationFailed(ex);
            return null;
        }
    }

    /// <summary>True when a file event arrived; false when <paramref name="wait"/> passed first.</summary>
    private async Task<bool> WaitForSignalAsync(TimeSpan? wait, CancellationToken stoppingToken)
    {
        if (wait is not { } timeout)
        {
            return await _signals.Reader.ReadAsync(stoppingToken).ConfigureAwait(false);
        }
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timer.Token);
        try
        {
            return await _signals.Reader.ReadAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Waits until events stop for the debounce time, but no longer than a second in all.</summary>
    private async Task DebounceAsync(CancellationToken stoppingToken)
    {
        var start = time.GetTimestamp();
        while (time.GetElapsedTime(start) < MaxDebounce
            && await WaitForSignalAsync(Min(_options.Debounce, MaxDebounce - time.GetElapsedTime(start)), stoppingToken).ConfigureAwait(false))
        {
        }
    }

    /// <summary>Watches the folders of the latest scan: the roots and any linked folder outside them; and models.yaml.</summary>
    private void Watch(RegenerationResult result)
    {
        var catalogOptions = _options.Catalog;
        if (catalogOptions.ModelDirectories.Any(d => !Directory.Exists(d)))
        {
            StartPolling("a models folder does not exist yet");
            return;
        }
        var wanted = new List<string>();
        foreach (var directory in result.Generation.Scan.Directories.Order(StringComparer.Ordinal))
        {
            if (!wanted.Any(w => directory.StartsWith(w.EndsWith(Path.DirectorySeparatorChar) ? w : w + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
            {
                wanted.Add(directory);
            }
        }
        foreach (var gone in _watchers.Keys.Where(k => k != catalogOptions.OverridesPath && !wanted.Contains(k)).ToList())
        {
            _watchers.Remove(gone, out var watcher);
            watcher?.Dispose();
        }
        foreach (var directory in wanted.Where(d => !_watchers.ContainsKey(d)))
        {
            AddWatcher(directory, directory, filter: null, recursive: true);
        }
        var overrides = catalogOptions.OverridesPath;
        if (!_watchers.ContainsKey(overrides) && Path.GetDirectoryName(overrides) is { } home && Directory.Exists(home))
        {
            AddWatcher(overrides, home, Path.GetFileName(overrides), recursive: false);
        }
    }

    private void AddWatcher(string key, string directory, string? filter, bool recursive)
    {
        FileSystemWatcher? watcher = null;
        try
        {
            watcher = new FileSystemWatcher(directory)
            {
                IncludeSubdirectories = recursive,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size,
                // Large buffer: a folder of split parts being unpacked fires many events at once.
                InternalBufferSize = 64 * 1024,
            };
            if (filter is not null)
            {
                watcher.Filter = filter;
            }
            watcher.Created += OnChange;
            watcher.Deleted += OnChange;
            watcher.Changed += OnChange;
            watcher.Renamed += OnChange;
            watcher.Error += (_, e) =>
            {
                StartPolling($"file events for {directory} failed: {e.GetException().Message}");
                Signal();
            };
            watcher.EnableRaisingEvents = true;
            _watchers[key] = watcher;
            watcher = null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or PlatformNotSupportedException)
        {
            // inotify instance or watch limits, or a file system without events.
            StartPolling($"cannot watch {directory}: {ex.Message}");
        }
        finally
        {
            watcher?.Dispose();
        }
    }

    private void OnChange(object sender, FileSystemEventArgs e)
    {
        // Temporary files (".name.gguf.tmp", ".part") change constantly while copying and never
        // become models by themselves; their rename to the final name is the event that matters.
        var name = Path.GetFileName(e.FullPath);
        if (name.StartsWith('.') && !name.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }
        Signal();
    }

    private void Signal() => _signals.Writer.TryWrite(true);

    private void StartPolling(string why)
    {
        if (!_polling)
        {
            _polling = true;
            LogPolling(why, _options.PollInterval);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    public override void Dispose()
    {
        foreach (var watcher in _watchers.Values)
        {
            watcher.Dispose();
        }
        _watchers.Clear();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Models folders: {Reason}; polling every {Interval} instead")]
    private partial void LogPolling(string reason, TimeSpan interval);

    [LoggerMessage(Level = LogLevel.Error, Message = "Models folders: rescan failed; the current models stay served")]
    private partial void LogRegenerationFailed(Exception exception);
}
