using Microsoft.Extensions.Logging;
using ModelSwap.Core.Configuration;

namespace ModelSwap.Gateway.Processes;

/// <summary>
/// A model process whose port is checked right before it starts: a port someone else holds moves
/// the start to a free port (logged), and a server that dies because its port was taken meanwhile
/// ("address already in use") is started once more on a new port. <see cref="Model"/> is the
/// configuration actually started, so requests go to the port the server really has.
/// </summary>
internal sealed partial class PortGuardedProcess(ModelConfig model, Func<ModelConfig, IModelProcess> create, ILogger logger) : IModelProcess
{
    private readonly object _gate = new();
    private IModelProcess? _current;
    private bool _stopping;

    public ModelConfig Model => _current?.Model ?? model;

    public int? ProcessId => _current?.ProcessId;

    public int? ExitCode => _current?.ExitCode;

    public Task Exited => _current?.Exited ?? Task.CompletedTask;

    public LogRing Logs => _current?.Logs ?? EmptyLogs;

    // Forwarded from whichever process is current, so a server's load progress survives the guard.
    public double? LoadProgress => _current?.LoadProgress;

    public event Action? LoadProgressChanged;

    private static LogRing EmptyLogs { get; } = new(1);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var config = model;
        if (PortOwnership.GuardedPort(config) is { } port && !PortOwnership.IsFree(port))
        {
            var moved = PortOwnership.FreePort();
            LogPortTaken(config.Id, port, moved);
            config = PortOwnership.Relocate(config, moved);
        }
        try
        {
            await Launch(config).StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ModelStartException ex) when (PortOwnership.GuardedPort(config) is { } taken && PortOwnership.IsAddressInUse(ex)
            && !cancellationToken.IsCancellationRequested && !Volatile.Read(ref _stopping))
        {
            var moved = PortOwnership.FreePort();
            LogRetrying(config.Id, taken, moved);
            await _current!.DisposeAsync().ConfigureAwait(false);
            await Launch(PortOwnership.Relocate(config, moved)).StartAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _stopping = true;
        }
        return _current?.StopAsync(cancellationToken) ?? Task.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        if (_current is { } current)
        {
            await current.DisposeAsync().ConfigureAwait(false);
        }
    }

    private IModelProcess Launch(ModelConfig config)
    {
        lock (_gate)
        {
            if (_stopping)
            {
                throw new ModelStartException(config.Id, $"Model '{config.Id}' was stopped while starting.", []);
            }
            _current = create(config);
            _current.LoadProgressChanged += () => LoadProgressChanged?.Invoke();
            return _current;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Port {Port} of model {ModelId} is taken by another process; starting it on port {NewPort} instead")]
    private partial void LogPortTaken(string modelId, int port, int newPort);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Model {ModelId} could not bind port {Port} (address in use); starting it once more on port {NewPort}")]
    private partial void LogRetrying(string modelId, int port, int newPort);
}
