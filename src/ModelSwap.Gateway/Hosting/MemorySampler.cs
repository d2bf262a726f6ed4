using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelSwap.Gateway.Processes;
using ModelSwap.Gateway.Swapping;

namespace ModelSwap.Gateway.Hosting;

/// <summary>
/// Measures every running model server twice a second: the resident memory of its whole process tree
/// (and the GPU memory of its processes, when a GPU tool answers), and while it starts, how much of its
/// model it has read (bytes read from files or mapped pages resident, over the weights' size). The
/// coordinator keeps the numbers; this only reads /proc and reports.
/// </summary>
internal sealed partial class MemorySampler(ModelCoordinator coordinator, TimeProvider time, ILogger<MemorySampler> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Measures now and returns once the coordinator has the numbers (tests use it to sync).</summary>
    public async Task SampleNowAsync()
    {
        await SampleAsync().ConfigureAwait(false);
        await coordinator.FlushAsync().ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await SampleAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogSampleFailed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SampleAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            var running = coordinator.GetStatus().Where(s => s.Pid is not null && s.State is ModelState.Starting or ModelState.Ready).ToList();
            if (running.Count == 0)
            {
                return;
            }
            var gpu = coordinator.System.Gpu.Tool is null ? null : coordinator.System.Gpu.PerProcess();
            foreach (var status in running)
            {
                var pid = status.Pid!.Value;
                var tree = ProcessMemory.ReadTree(pid);
                if (tree.Processes == 0)
                {
                    continue;
                }
                long? gpuBytes = null;
                if (gpu is not null)
                {
                    gpuBytes = ProcessTreePids(pid).Sum(p => gpu.GetValueOrDefault(p));
                }
                double? progress = null;
                if (status.State == ModelState.Starting && status.Estimate is { WeightBytes: > 0 } estimate)
                {
                    var loaded = Math.Max(tree.ReadBytes, tree.FileResidentBytes);
                    progress = Math.Clamp((double)loaded / estimate.WeightBytes, 0, 0.99);
                }
                coordinator.ReportMemory(status.ModelId, pid, new MeasuredMemory(tree.ResidentBytes, tree.PeakResidentBytes, gpuBytes), progress);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private static IEnumerable<int> ProcessTreePids(int root) => ProcessTree.Family(root, session: null).Select(e => e.Pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Measuring model memory failed")]
    private partial void LogSampleFailed(Exception exception);
}
