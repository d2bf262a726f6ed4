using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using ModelSwap.Core.Configuration;
using ModelSwap.Gateway.Processes;
using static ModelSwap.Gateway.Swapping.CoordinatorMessage;

namespace ModelSwap.Gateway.Swapping;

/// <summary>
/// The one owner of "what runs". Every call becomes a message to a single loop that holds all mutable
/// state (see <see cref="SwapScheduler"/>); process starts and stops run as tasks whose completions are
/// messages too. Requests acquire a <see cref="ModelLease"/> and dispose it when their response ends.
/// </summary>
internal sealed class ModelCoordinator : IAsyncDisposable
{
    private readonly Channel<CoordinatorMessage> _messages =
        Channel.CreateUnbounded<CoordinatorMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<(ModelStatus Status, bool StateChanged)> _events =
        Channel.CreateUnbounded<(ModelStatus, bool)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SwapScheduler _scheduler;
    private readonly ILogger<ModelCoordinator> _logger;
    private readonly Task _loop;
    private readonly Task _eventLoop;
    private int _disposed;

    public ModelCoordinator(IModelProcessFactory factory, TimeProvider time, ILogger<ModelCoordinator> logger, ModelSwapConfig initialConfig,
        SystemMemory? memory = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(initialConfig);
        _logger = logger;
        _scheduler = new SwapScheduler(
            factory, time, logger, initialConfig,
            post: Post,
            release: run => Post(new Release(run)),
            stateChanged: status => _events.Writer.TryWrite((status, true)),
            memory ?? new SystemMemory(long.MaxValue / 4, GpuProbe.None),
            inFlightOverdue: (id, waitingFor, waited) => InFlightOverdue?.Invoke(id, waitingFor, waited),
            progressChanged: status => _events.Writer.TryWrite((status, false)));
        System = memory ?? new SystemMemory(long.MaxValue / 4, GpuProbe.None);
        _loop = Task.Run(RunLoopAsync);
        _eventLoop = Task.Run(RunEventLoopAsync);
    }

    /// <summary>The machine's memory facts the budget is computed from.</summary>
    public SystemMemory System { get; }

    /// <summary>The memory budget in effect: memoryBudget, else physical memory minus memoryReserve; GPU memory when found.</summary>
    public MemoryBudget Budget => new(Config.MemoryBudget ?? Math.Max(0, System.PhysicalBytes - Config.MemoryReserve), System.Gpu.TotalBytes);

    /// <summary>
    /// Reports a measurement of a model's process tree (ignored when <paramref name="pid"/> no longer
    /// serves it). <paramref name="loadProgress"/> (0..1) is kept while the model is starting.
    /// </summary>
    public void ReportMemory(string modelId, int pid, MeasuredMemory memory, double? loadProgress) =>
        Post(new MemoryMeasured(modelId, pid, memory, loadProgress));

    /// <summary>The configuration in effect (the last one applied).</summary>
    public ModelSwapConfig Config => _scheduler.Config;

    /// <summary>
    /// Raised off the loop, in order, when a model's <see cref="ModelState"/> changes. A slow handler
    /// delays later events, never the coordinator.
    /// </summary>
    public event Action<ModelStatus>? StateChanged;

    /// <summary>
    /// Raised (off the loop) when a swap has waited swapWaitTimeout for the requests in flight on a
    /// model it must stop: (model, the model waiting, how long). The forwarder's side ends them.
    /// </summary>
    public event Action<string, string, TimeSpan>? InFlightOverdue;

    /// <summary>
    /// Raised off the loop, in order with <see cref="StateChanged"/>, when a starting model's
    /// <see cref="ModelStatus.LoadProgress"/> moves (its state staying Starting).
    /// </summary>
    public event Action<ModelStatus>? LoadProgressChanged;

    /// <summary>
    /// Waits until <paramref name="modelId"/> is ready (starting it, and stopping what it evicts once
    /// their in-flight requests end) and returns a lease on it. Throws <see cref="UnknownModelException"/>,
    /// <see cref="ConcurrencyLimitExceededException"/>, <see cref="ModelStartException"/>,
    /// <see cref="CoordinatorStoppedException"/>, or <see cref="OperationCanceledException"/> when
    /// <paramref name="cancellationToken"/> fires while queued (the request is then dropped from the queue).
    /// </summary>
    public ValueTask<ModelLease> AcquireAsync(string modelId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<ModelLease>(cancellationToken);
        }
        var waiter = new Waiter(modelId, cancellationToken);
        if (cancellationToken.CanBeCanceled)
        {
            // Registered before posting, so the loop never sees a waiter whose registration is unset; a
            // cancel that overtakes the acquire is caught by the loop's own token check.
            waiter.Registration = cancellationToken.UnsafeRegister(
                static state =>
                {
                    var (self, w) = ((ModelCoordinator, Waiter))state!;
                    self.Post(new CancelWaiter(w));
                },
                (this, waiter));
        }
        if (!_messages.Writer.TryWrite(new Acquire(waiter)))
        {
            waiter.Registration.Dispose();
            return ValueTask.FromException<ModelLease>(new CoordinatorStoppedException());
        }
        return new ValueTask<ModelLease>(waiter.Completion.Task);
    }

    /// <summary>
    /// Stops <paramref name="modelId"/> (null: every running model) once its in-flight requests have
    /// finished; new requests for it wait and start it again afterwards. Completes when stopped.
    /// Cancelling stops the waiting, not the unload. Throws <see cref="UnknownModelException"/>.
    /// </summary>
    public Task UnloadAsync(string? modelId, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return PostAndWait(new Unload(modelId, done), done.Task, cancellationToken);
    }

    /// <summary>
    /// Sets how long the running <paramref name="modelId"/> may stay idle before it is stopped, from its
    /// next idle moment (now, if idle), overriding its TTL until its process stops (Ollama's keep_alive):
    /// <see cref="TimeSpan.Zero"/> stops it once its requests are done, a negative value keeps it loaded.
    /// Ignored when the model is not running. Call it while holding a lease to apply it to that run.
    /// </summary>
    public void SetKeepAlive(string modelId, TimeSpan keepAlive)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        Post(new SetKeepAlive(modelId, keepAlive < TimeSpan.Zero ? Timeout.InfiniteTimeSpan : keepAlive));
    }

    /// <summary>
    /// Puts <paramref name="next"/> in effect and returns what changed. Removed and changed models that
    /// run are stopped once their in-flight requests end (changed ones start again, with the new
    /// definition, on their next request); queued requests for removed models fail with
    /// <see cref="UnknownModelException"/>. Unchanged models keep their process. Returns as soon as the
    /// config is in effect, without waiting for those stops.
    /// </summary>
    public Task<ConfigDiff> ApplyConfigAsync(ModelSwapConfig next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        var done = new TaskCompletionSource<ConfigDiff>(TaskCreationOptions.RunContinuationsAsynchronously);
        return PostAndWait(new ApplyConfig(next, done), done.Task, cancellationToken);
    }

    /// <summary>
    /// Takes <see cref="Retirement.ModelIds"/> out of service as one step: queued and new requests for
    /// them fail with <see cref="ModelRetiringException"/>, each stops once its in-flight requests end,
    /// then <see cref="Retirement.WhenStopped"/> runs (deleting files, refreshing the catalog); the
    /// models take requests again only after it completes (by then normally gone from the config).
    /// Throws <see cref="UnknownModelException"/>, or what the action threw.
    /// </summary>
    public Task RetireAsync(Retirement retirement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(retirement);
        return PostAndWait(new Retire(retirement), retirement.Done.Task, cancellationToken);
    }

    /// <summary>
    /// Starts the config's preload models in order, each through the queue like a request; a model that
    /// fails to start is logged and skipped.
    /// </summary>
    public async Task PreloadAsync(CancellationToken cancellationToken)
    {
        foreach (var name in Config.Preload)
        {
            var modelId = Config.ResolveModelId(name) ?? name;
            try
            {
                var lease = await AcquireAsync(modelId, cancellationToken).ConfigureAwait(false);
                lease.Dispose();
                CoordinatorLog.Preloaded(_logger, modelId);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                CoordinatorLog.PreloadFailed(_logger, name, ex);
            }
        }
    }

    /// <summary>The state of every configured model (and of removed ones still stopping), by id.</summary>
    public IReadOnlyList<ModelStatus> GetStatus() => _scheduler.Status;

    /// <summary>
    /// Shutdown: fails every queued request with <see cref="CoordinatorStoppedException"/>, refuses new
    /// ones, and stops every process without waiting for in-flight requests. Completes when all stopped.
    /// </summary>
    public Task StopAllAsync(CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return PostAndWait(new StopAll(done), done.Task, cancellationToken);
    }

    /// <summary>Completes once every message posted before it has been handled (tests use it to sync).</summary>
    internal Task FlushAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return PostAndWait(new Flush(done), done.Task, CancellationToken.None);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            await _loop.ConfigureAwait(false);
            return;
        }
        try
        {
            await StopAllAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            CoordinatorLog.HandlerFailed(_logger, nameof(StopAll), ex);
        }
        _messages.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        _events.Writer.TryComplete();
        await _eventLoop.ConfigureAwait(false);
    }

    private void Post(CoordinatorMessage message) => _messages.Writer.TryWrite(message);

    private Task<T> PostAndWait<T>(CoordinatorMessage message, Task<T> done, CancellationToken cancellationToken) =>
        _messages.Writer.TryWrite(message)
            ? done.WaitAsync(cancellationToken)
            : Task.FromException<T>(new CoordinatorStoppedException());

    private Task PostAndWait(CoordinatorMessage message, Task done, CancellationToken cancellationToken) =>
        _messages.Writer.TryWrite(message)
            ? done.WaitAsync(cancellationToken)
            : Volatile.Read(ref _disposed) != 0 && message is StopAll
                ? Task.CompletedTask // already shut down: everything is stopped
                : Task.FromException(new CoordinatorStoppedException());

    private async Task RunLoopAsync()
    {
        await foreach (var message in _messages.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            _scheduler.Handle(message);
        }
    }

    private async Task RunEventLoopAsync()
    {
        await foreach (var (status, stateChanged) in _events.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                (stateChanged ? StateChanged : LoadProgressChanged)?.Invoke(status);
            }
            catch (Exception ex)
            {
                CoordinatorLog.EventHandlerFailed(_logger, ex);
            }
        }
    }
}
