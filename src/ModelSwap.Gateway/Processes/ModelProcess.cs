using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using ModelSwap.Core.Configuration;

namespace ModelSwap.Gateway.Processes;

/// <summary>
/// The owner of one run of a model's server process: launch (own session, killed with ModelSwap),
/// output drained into <see cref="Logs"/> and <see cref="UpstreamLogs"/>, readiness raced against
/// exit and the health-check timeout, and a graceful stop that ends with the whole tree killed.
/// </summary>
internal sealed class ModelProcess : IModelProcess
{
    public const int LogCapacity = 500;
    private const int MessageLogLines = 20;
    private const int StateNew = 0, StateStarting = 1, StateRunning = 2, StateStopping = 3;
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan DrainWait = TimeSpan.FromSeconds(1);

    private readonly HttpClient _health;
    private readonly UpstreamLogs _upstreamLogs;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LaunchWrapper _wrapper;
    private readonly object _gate = new();
    // _gone: the OS process has exited (its pid must no longer be signalled). _exited: that, and its
    // output has been drained (bounded), which is what callers of Exited see.
    private readonly TaskCompletionSource _gone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _abortStart = new();
    private readonly CancellationTokenSource _hurryStop = new();
    private Process? _process;
    private int? _pid;
    private int? _exitCode;
    private int _state;
    // Set once the output readers run (null when nothing was launched): an instant exit can be
    // reported before StartCoreAsync got that far.
    private readonly TaskCompletionSource<(OutputDrain Stdout, OutputDrain Stderr)?> _drains = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ReadinessProbe? _probe;
    // Inherited by every descendant of this run's server, so even ones that escaped its session are found.
    private readonly string _runTag = ProcessTags.NewRun();
    // Where cgroups can be made: the stronger tracking, which even a descendant that cleared its environment cannot leave.
    private ModelCgroup? _cgroup;
    private readonly LoadProgressReader _progress = new();
    // Kept open only for a server speaking llama.cpp's router protocol (see LoadProgressReader).
    private StreamWriter? _stdin;
    private Task? _startTask, _stopTask;

    public ModelProcess(ModelConfig model, HttpClient healthClient, UpstreamLogs upstreamLogs, TimeProvider timeProvider, ILogger<ModelProcess> logger)
        : this(model, healthClient, upstreamLogs, timeProvider, logger, LaunchWrapper.Current)
    {
    }

    internal ModelProcess(ModelConfig model, HttpClient healthClient, UpstreamLogs upstreamLogs, TimeProvider timeProvider, ILogger logger, LaunchWrapper wrapper)
    {
        Model = model;
        _health = healthClient;
        _upstreamLogs = upstreamLogs;
        _time = timeProvider;
        _logger = logger;
        _wrapper = wrapper;
    }

    public ModelConfig Model { get; }

    public int? ProcessId => _pid;

    /// <summary>The exit code once <see cref="Exited"/> completed (128 + signal number when killed by a signal).</summary>
    public int? ExitCode => _exitCode;

    public Task Exited => _exited.Task;

    public LogRing Logs { get; } = new(LogCapacity);

    public double? LoadProgress
    {
        get
        {
            lock (_progress)
            {
                return _progress.Value;
            }
        }
    }

    public event Action? LoadProgressChanged;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_state != StateNew)
            {
                throw new InvalidOperationException($"Model process '{Model.Id}' was already started or stopped; create a new one to start again.");
            }
            _state = StateStarting;
            _startTask = StartCoreAsync(cancellationToken);
            return _startTask;
        }
    }

    /// <summary>
    /// Stops the process (see <see cref="IModelProcess.StopAsync"/>). Cancelling skips the rest of the
    /// graceful wait and kills the tree at once; the call still returns only once the process is gone.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        Task stop;
        lock (_gate)
        {
            _state = StateStopping;
            // Task.Run: the stop must not run inline under the lock (it cancels the start).
            stop = _stopTask ??= Task.Run(StopCoreAsync, CancellationToken.None);
        }
        using (cancellationToken.Register(static s => ((CancellationTokenSource)s!).Cancel(), _hurryStop))
        {
            await stop.ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _process?.Dispose();
    }

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            _exited.TrySetResult();
            throw new OperationCanceledException($"Start of model '{Model.Id}' was cancelled before launch.", cancellationToken);
        }
        var launched = _time.GetTimestamp();
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _abortStart.Token);
        var command = ResolveCommand(Model.Command, "command");
        ProcessLog.Starting(_logger, Model.Id, command[0], _wrapper.KillsOnParentDeath, _wrapper.NewSession);
        Process process;
        try
        {
            IEnumerable<KeyValuePair<string, string>> environment =
                [.. Model.Environment, new(ProcessTags.OwnerVariable, ProcessTags.Owner), new(ProcessTags.RunVariable, _runTag)];
            _cgroup = ModelCgroup.Create(CgroupOwner.Directory, _runTag);
            (process, var jobError) = await ProcessLauncher.StartAsync(command, environment, _wrapper, OnExited, _cgroup).ConfigureAwait(false);
            if (jobError is not null)
            {
                ProcessLog.JobAssignFailed(_logger, Model.Id, process.Id, jobError);
            }
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            _drains.TrySetResult(null);
            _exited.TrySetResult();
            _ = _cgroup?.DisposeAsync();
            throw new ModelStartException(Model.Id, $"Model '{Model.Id}' could not be launched: {e.Message}", [], e);
        }
        lock (_gate)
        {
            _process = process;
            _pid = process.Id;
        }
        ProcessLog.Launched(_logger, Model.Id, process.Id);
        if (_wrapper.NewSession && SessionReaper.Shared is { } reaper)
        {
            reaper.Register(process.Id);
            if (_gone.Task.IsCompleted)
            {
                // It exited before the registration: OnExited's unregister may have gone first.
                reaper.Unregister(process.Id);
            }
        }
        if (LoadProgressReader.UsesRouterProtocol(Model))
        {
            _stdin = process.StandardInput;
        }
        else
        {
            process.StandardInput.Close();
        }
        _drains.TrySetResult((
            OutputDrain.Start(process.StandardOutput.BaseStream, $"modelswap-out-{process.Id}", OnOutputLine),
            OutputDrain.Start(process.StandardError.BaseStream, $"modelswap-err-{process.Id}", OnOutputLine)));

        if (Model.CheckEndpoint is null && !abort.IsCancellationRequested)
        {
            // `checkEndpoint: none`: running is all we can know.
            MarkRunning(launched, 0);
            return;
        }
        // A start cancelled by now goes through the probe too, which gives up at once and kills.
        var healthUri = ReadinessProbe.HealthUri(Model);
        var probe = new ReadinessProbe(_health, healthUri, _time,
            summary => ProcessLog.HealthOutcome(_logger, Model.Id, healthUri.AbsolutePath, summary))
        {
            // Only the server this process started may answer (see PortOwnership).
            Guard = PortOwnership.GuardFor(Model, () => _pid),
        };
        _probe = probe;
        using var timeout = new CancellationTokenSource(Model.HealthCheckTimeout, _time);
        using var probing = CancellationTokenSource.CreateLinkedTokenSource(abort.Token, timeout.Token);
        var probeTask = probe.WaitUntilReadyAsync(probing.Token);
        try
        {
            if (await Task.WhenAny(probeTask, _gone.Task).ConfigureAwait(false) != probeTask)
            {
                await probing.CancelAsync().ConfigureAwait(false);
                await probeTask.ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
                await _exited.Task.ConfigureAwait(false);
                ProcessLog.ExitedWhileStarting(_logger, Model.Id, process.Id, _exitCode);
                var seconds = _time.GetElapsedTime(launched).TotalSeconds;
                throw Failure($"Model '{Model.Id}' exited with code {FormatExitCode(_exitCode)} while starting, {seconds:0.00} s after launch.");
            }
            await probeTask.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !abort.IsCancellationRequested)
        {
            ProcessLog.HealthTimeout(_logger, Model.Id, process.Id, Model.HealthCheckTimeout);
            await KillTreeAsync([]).ConfigureAwait(false);
            throw Failure($"Model '{Model.Id}' was not ready within {Model.HealthCheckTimeout} (healthCheckTimeout): " +
                $"GET {probe.Uri} never answered 200 ({probe.OutcomeTotals}; last: {probe.LastOutcome}). Its process was killed.", timedOut: true);
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            ProcessLog.StartCancelled(_logger, Model.Id, process.Id);
            await KillTreeAsync([]).ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException($"Start of model '{Model.Id}' was cancelled; its process was killed.", cancellationToken);
            }
            throw Failure($"Model '{Model.Id}' was stopped while starting.");
        }
        catch (Exception e) when (e is not ModelStartException and not OperationCanceledException)
        {
            await KillTreeAsync([]).ConfigureAwait(false);
            throw new ModelStartException(Model.Id, $"Model '{Model.Id}' readiness check failed: {e.Message}", Logs.Snapshot(MessageLogLines), e);
        }
        finally
        {
            _probe = null;
            probe.ReportLast();
        }
        MarkRunning(launched, probe.Attempts);
    }

    private void MarkRunning(long launched, int attempts)
    {
        lock (_gate)
        {
            if (_state == StateStarting)
            {
                _state = StateRunning;
            }
        }
        ProcessLog.Ready(_logger, Model.Id, _pid ?? 0, _time.GetElapsedTime(launched).TotalMilliseconds, attempts);
    }

    private List<string> ResolveCommand(System.Collections.Immutable.ImmutableArray<string> command, string key)
    {
        if (command.IsDefaultOrEmpty || string.IsNullOrEmpty(command[0]))
        {
            _exited.TrySetResult();
            throw new ModelStartException(Model.Id, $"Model '{Model.Id}' has an empty {key}.", []);
        }
        var program = CommandResolver.Resolve(command[0], ProcessLauncher.SearchPath(Model.Environment));
        if (program is null)
        {
            _exited.TrySetResult();
            var where = command[0].Contains('/') ? "" : " in PATH";
            throw new ModelStartException(Model.Id, $"Model '{Model.Id}' cannot start: program '{command[0]}' of its {key} was not found{where} or is not executable.", []);
        }
        return [program, .. command.Skip(1)];
    }

    private ModelStartException Failure(string message, bool timedOut = false)
    {
        var lines = Logs.Snapshot(MessageLogLines);
        var text = new StringBuilder(message);
        // A runtime's stack trace can push the one line that says why (a taken port) out of the last
        // lines: name it, so the user sees it and the port guard retries on a new port.
        if (Logs.Snapshot().FirstOrDefault(PortOwnership.SaysAddressInUse) is { } bindError && !lines.Contains(bindError))
        {
            text.Append(' ').Append(bindError.Trim());
        }
        if (lines.Count == 0)
        {
            text.Append(" It wrote no output.");
        }
        else
        {
            text.Append(" Last output:");
            foreach (var line in lines)
            {
                text.Append("\n  ").Append(line);
            }
        }
        return new ModelStartException(Model.Id, text.ToString(), lines) { TimedOut = timedOut };
    }

    private void OnOutputLine(string line)
    {
        Logs.Append(line);
        _upstreamLogs.Append(Model.Id, line);
        ProcessLog.Output(_logger, Model.Id, line);
        _probe?.Nudge();
        bool changed;
        lock (_progress)
        {
            changed = _progress.Observe(line);
        }
        if (changed)
        {
            LoadProgressChanged?.Invoke();
        }
    }

    private void OnExited(Process process)
    {
        int? code = null;
        try
        {
            code = process.ExitCode;
        }
        catch (InvalidOperationException)
        {
        }
        _exitCode = code;
        _gone.TrySetResult();
        var pid = process.Id;
        if (_wrapper.NewSession && !OperatingSystem.IsWindows())
        {
            // Children left in the server's session (workers, a `sleep` in a script) go with it.
            PosixNative.KillGroup(pid, PosixNative.SigKill);
            var leftovers = ProcessTree.Signal(ProcessTree.Family(pid, pid).Concat(ProcessTags.Find(ProcessTags.RunVariable, _runTag)), PosixNative.SigKill)
                + (_cgroup?.Kill() ?? 0);
            if (leftovers > 0)
            {
                ProcessLog.KilledLeftovers(_logger, Model.Id, pid, leftovers);
            }
            SessionReaper.Shared?.Unregister(pid);
        }
        // Removed once its last member is gone, also when the server died on its own and no stop follows.
        _ = _cgroup?.DisposeAsync();
        switch (Volatile.Read(ref _state))
        {
            case StateStopping: ProcessLog.Exited(_logger, Model.Id, pid, code); break;
            case StateRunning: ProcessLog.ExitedUnexpectedly(_logger, Model.Id, pid, code); break;
        }
        // Its last words (often the reason for a crash) should be in Logs when Exited completes.
        _ = WaitForDrainsAsync().ContinueWith(_ => _exited.TrySetResult(), TaskScheduler.Default);
    }

    private async Task StopCoreAsync()
    {
        if (_startTask is { IsCompleted: false } start)
        {
            await _abortStart.CancelAsync().ConfigureAwait(false);
            await start.ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }
        var process = _process;
        if (process is null || _pid is not int pid)
        {
            _exited.TrySetResult();
            return;
        }
        // Taken before any signal: once the server exits, its children are reparented and the
        // parent links that find escaped descendants are gone.
        var family = ProcessTree.HasProcFs ? ProcessTree.Family(pid, _wrapper.NewSession ? pid : null) : [];
        if (!_gone.Task.IsCompleted)
        {
            var stopCommand = await SignalStopAsync(pid).ConfigureAwait(false);
            using var unload = new CancellationTokenSource(Model.UnloadTimeout, _time);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(unload.Token, _hurryStop.Token);
            try
            {
                var stopExited = stopCommand is null ? Task.CompletedTask : stopCommand.WaitForExitAsync(CancellationToken.None);
                await Task.WhenAll(_gone.Task, stopExited).WaitAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
            if (!_gone.Task.IsCompleted)
            {
                ProcessLog.KillingAfterUnloadTimeout(_logger, Model.Id, pid, Model.UnloadTimeout);
                await KillTreeAsync(family).ConfigureAwait(false);
            }
            if (stopCommand is not null)
            {
                StopCommand.Finish(stopCommand, Model.Id, _logger);
            }
        }
        // Anything that outlived the server, including children that left its session.
        var leftovers = ProcessTree.Signal(family.Concat(ProcessTags.Find(ProcessTags.RunVariable, _runTag)), PosixNative.SigKill)
            + (_cgroup?.Kill() ?? 0);
        if (leftovers > 0)
        {
            ProcessLog.KilledLeftovers(_logger, Model.Id, pid, leftovers);
        }
        if (_cgroup is { } cgroup)
        {
            await cgroup.DisposeAsync().ConfigureAwait(false);
        }
        if (_gone.Task.IsCompleted)
        {
            // Completes within the bounded drain wait.
            await _exited.Task.ConfigureAwait(false);
        }
    }

    /// <summary>Runs cmdStop, or sends SIGTERM to the group; returns the cmdStop process if one runs.</summary>
    private async Task<Process?> SignalStopAsync(int pid)
    {
        if (!Model.StopCommand.IsDefaultOrEmpty)
        {
            ProcessLog.Stopping(_logger, Model.Id, pid, "cmdStop");
            if (await StopCommand.StartAsync(Model, pid, _wrapper, OnOutputLine, _logger).ConfigureAwait(false) is { } stopper)
            {
                return stopper;
            }
        }
        if (OperatingSystem.IsWindows())
        {
            // No SIGTERM on Windows: without cmdStop the tree is killed straight away.
            ProcessLog.Stopping(_logger, Model.Id, pid, "kill");
            await KillTreeAsync([]).ConfigureAwait(false);
            return null;
        }
        EndStdin();
        ProcessLog.Stopping(_logger, Model.Id, pid, "SIGTERM");
        if (!_wrapper.NewSession || !PosixNative.KillGroup(pid, PosixNative.SigTerm))
        {
            PosixNative.Kill(pid, PosixNative.SigTerm);
        }
        return null;
    }

    /// <summary>Asks a router-protocol server to exit and closes its stdin (which ends it too).</summary>
    private void EndStdin()
    {
        if (Interlocked.Exchange(ref _stdin, null) is not { } stdin)
        {
            return;
        }
        try
        {
            stdin.WriteLine(LoadProgressReader.ExitCommand);
            stdin.Flush();
            stdin.Close();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // It already exited: the pipe is gone, which is all the command was for.
        }
    }

    /// <summary>SIGKILLs the whole tree (and <paramref name="snapshot"/>), then waits for the exit.</summary>
    private async Task KillTreeAsync(IEnumerable<ProcessTree.Entry> snapshot)
    {
        if (_process is not { } process || _pid is not int pid)
        {
            return;
        }
        if (!_gone.Task.IsCompleted)
        {
            TreeKill.Kill(process, pid, _wrapper.NewSession, snapshot);
            _cgroup?.Kill();
        }
        try
        {
            await _gone.Task.WaitAsync(KillWait, _time).ConfigureAwait(false);
            // Then Exited, which follows within the bounded wait for the last output.
            await _exited.Task.ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            ProcessLog.StillAliveAfterKill(_logger, Model.Id, pid, KillWait);
        }
    }

    private async Task WaitForDrainsAsync()
    {
        // After an exit the pipes close once every holder is gone; an escaped child may keep them
        // open, so the wait is bounded. The drains are set up right after the launch returns.
        var drained = _drains.Task.ContinueWith(
            t => t.Result is { } d ? Task.WhenAll(d.Stdout.Completed, d.Stderr.Completed) : Task.CompletedTask,
            TaskScheduler.Default).Unwrap();
        await Task.WhenAny(drained, Task.Delay(DrainWait, _time)).ConfigureAwait(false);
    }

    private static string FormatExitCode(int? code) => code?.ToString(CultureInfo.InvariantCulture) ?? "unknown";
}
