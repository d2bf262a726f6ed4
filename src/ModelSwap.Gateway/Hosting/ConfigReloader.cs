using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelSwap.Core.Configuration;
using ModelSwap.Gateway.Processes;
using ModelSwap.Gateway.Swapping;

namespace ModelSwap.Gateway.Hosting;

/// <summary>
/// Hot reload of a config file: on a change (when watching) or SIGHUP, the file is loaded and
/// validated; a bad file leaves the last good config in force and logs every error; a good one is
/// handed to the coordinator, which restarts only the models whose definition changed. A change
/// seen by the watcher is applied only once the file has stopped changing and parses
/// (<see cref="SettledFile"/>), so a file still being written is never applied half-way.
/// </summary>
internal sealed partial class ConfigReloader(
    GatewayHostOptions options,
    ModelCoordinator coordinator,
    IServiceProvider services,
    ReloadTiming timing,
    ILogger<ConfigReloader> logger) : IHostedService, IDisposable
{
    private readonly SemaphoreSlim _reloadGate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _settleGate = new();
    private FileSystemWatcher? _watcher;
    private PosixSignalRegistration? _hangup;
    private bool _settling, _changedAgain;
    private int _settleWaits;

    /// <summary>Raised after a configuration was applied, with what changed (the /api/events <c>config</c> event).</summary>
    public event Action<ConfigDiff>? Applied;

    /// <summary>How many reloads were applied (tests read it).</summary>
    public int AppliedReloads { get; private set; }

    /// <summary>How many quiet-interval waits the watcher's settling has begun (tests step a fake clock on it).</summary>
    public int SettleWaits => Volatile.Read(ref _settleWaits);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.ConfigPath is not { } path)
        {
            return Task.CompletedTask;
        }
        if (!OperatingSystem.IsWindows())
        {
            // Under nohup SIGHUP arrives ignored, and .NET would never report it: reload is what
            // SIGHUP means to this service (it still survives a terminal hang-up), as it does to nginx.
            PosixNative.RestoreDefaultAction(PosixNative.SigHup);
            _hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true;
                LogSignal();
                _ = OnHangupAsync();
            });
        }
        if (options.WatchConfig)
        {
            var full = Path.GetFullPath(path);
            // Watch the folder, not the file: editors replace files by rename, which a file watch misses.
            _watcher = new FileSystemWatcher(Path.GetDirectoryName(full)!, Path.GetFileName(full))
            {
                NotifyFilter = NotifyFilters.LastWrite | NotifyFilters.FileName | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            _watcher.Changed += (_, _) => ScheduleReload();
            _watcher.Created += (_, _) => ScheduleReload();
            _watcher.Renamed += (_, _) => ScheduleReload();
            _watcher.EnableRaisingEvents = true;
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// SIGHUP: a generated config is regenerated from a fresh scan of the models folders (which then
    /// reloads it); a user's file is reloaded. The catalog is resolved here, not injected, because it
    /// depends on this reloader.
    /// </summary>
    private async Task OnHangupAsync()
    {
        try
        {
            if (options.Discovery is not null && services.GetService(typeof(IModelCatalog)) is IModelCatalog catalog)
            {
                await catalog.RefreshAsync(_stopping.Token).ConfigureAwait(false);
            }
            else
            {
                await ReloadAsync(_stopping.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void ScheduleReload()
    {
        lock (_settleGate)
        {
            if (_settling)
            {
                // The running settle reads the file again anyway; a change after its last read runs another.
                _changedAgain = true;
                return;
            }
            _settling = true;
        }
        _ = SettleAndReloadAsync();
    }

    private async Task SettleAndReloadAsync()
    {
        var path = options.ConfigPath!;
        try
        {
            while (true)
            {
                lock (_settleGate)
                {
                    _changedAgain = false;
                }
                var loadOptions = options.LoadOptions.WithPreviousPorts(coordinator.Config);
                var text = await SettledFile.ReadAsync(path, timing, t => ConfigLoader.Parse(t, path, loadOptions).IsValid,
                    _ => Interlocked.Increment(ref _settleWaits), _stopping.Token).ConfigureAwait(false);
                if (text is null)
                {
                    LogVanished(path);
                }
                else
                {
                    await ApplyAsync(path, () => ConfigLoader.Parse(text, path, options.LoadOptions.WithPreviousPorts(coordinator.Config)),
                        _stopping.Token).ConfigureAwait(false);
                }
                lock (_settleGate)
                {
                    if (!_changedAgain)
                    {
                        _settling = false;
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            LogReloadFailed(path, ex);
            lock (_settleGate)
            {
                _settling = false;
            }
        }
    }

    /// <summary>Loads the file now (SIGHUP, an explicit reload) and applies it when valid. Returns the load result either way.</summary>
    public Task<ConfigLoadResult?> ReloadAsync(CancellationToken cancellationToken) => options.ConfigPath is not { } path
        ? Task.FromResult<ConfigLoadResult?>(null)
        : ApplyAsync(path, () => ConfigLoader.LoadFile(path, options.LoadOptions.WithPreviousPorts(coordinator.Config)), cancellationToken);

    private async Task<ConfigLoadResult?> ApplyAsync(string path, Func<ConfigLoadResult> load, CancellationToken cancellationToken)
    {
        await _reloadGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var result = load();
            foreach (var warning in result.Warnings)
            {
                LogWarning(warning.ToString());
            }
            if (!result.IsValid)
            {
                foreach (var error in result.Errors)
                {
                    LogInvalid(error.ToString());
                }
                LogKeptLastGood(path);
                return result;
            }
            var diff = await coordinator.ApplyConfigAsync(result.Config!, cancellationToken).ConfigureAwait(false);
            AppliedReloads++;
            Applied?.Invoke(diff);
            LogApplied(path, diff.Added.Length, diff.Removed.Length, diff.Changed.Length, diff.Unchanged.Length);
            return result;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogReloadFailed(path, ex);
            return null;
        }
        finally
        {
            _reloadGate.Release();
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        _watcher?.Dispose();
        _hangup?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _watcher?.Dispose();
        _hangup?.Dispose();
        _stopping.Dispose();
        _reloadGate.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SIGHUP received: reloading the configuration")]
    private partial void LogSignal();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Config: {Warning}")]
    private partial void LogWarning(string warning);

    [LoggerMessage(Level = LogLevel.Error, Message = "Config reload rejected: {Error}")]
    private partial void LogInvalid(string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Config {Path} is invalid; the last good configuration stays in force")]
    private partial void LogKeptLastGood(string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Config {Path} reloaded: {Added} added, {Removed} removed, {Changed} changed, {Unchanged} unchanged")]
    private partial void LogApplied(string path, int added, int removed, int changed, int unchanged);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Config {Path} could not be read after it changed (removed?); the current configuration stays in force")]
    private partial void LogVanished(string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Config reload of {Path} failed")]
    private partial void LogReloadFailed(string path, Exception exception);
}
