using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelSwap.Gateway.Processes;
using ModelSwap.Gateway.Swapping;

namespace ModelSwap.Gateway.Monitoring;

/// <summary>
/// Samples the CPU and memory of the gateway and of every running model server's process tree every
/// few seconds and keeps the last hour in a bounded ring (the Service page's charts,
/// <c>GET /api/status/resources</c>). It owns the ring; readers get a copy. Time comes from
/// <see cref="TimeProvider"/>, so tests drive it without waiting.
/// A model's memory is the one <see cref="Hosting.MemorySampler"/> already measured (the models'
/// status), so /proc is walked for memory once, not twice; only CPU time is read here.
/// </summary>
internal sealed partial class ResourceSampler(ModelCoordinator coordinator, TimeProvider time, ILogger<ResourceSampler> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);
    public static readonly int Capacity = (int)(Window / Interval);

    private readonly object _lock = new();
    private readonly Queue<ResourceSample> _ring = new(Capacity);
    // CPU time of each measured root process at the previous sample, to turn totals into a rate.
    private Dictionary<int, TimeSpan> _previousCpu = [];
    private TimeSpan? _previousGatewayCpu;
    private long _previousTimestamp;

    /// <summary>The samples of the last hour, oldest first.</summary>
    public IReadOnlyList<ResourceSample> Samples
    {
        get
        {
            lock (_lock)
            {
                return [.. _ring];
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        SampleNow();
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    SampleNow();
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
                {
                    LogSampleFailed(ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Takes one sample now (the timer's tick; tests call it to sample without waiting).</summary>
    public ResourceSample SampleNow()
    {
        lock (_lock)
        {
            var timestamp = time.GetTimestamp();
            var elapsed = _previousTimestamp == 0 ? TimeSpan.Zero : time.GetElapsedTime(_previousTimestamp, timestamp);
            _previousTimestamp = timestamp;

            using var self = Process.GetCurrentProcess();
            var gatewayCpu = self.TotalProcessorTime;
            var gateway = new ProcessUsage(Percent(gatewayCpu - (_previousGatewayCpu ?? gatewayCpu), elapsed), self.WorkingSet64);
            _previousGatewayCpu = gatewayCpu;

            var models = new List<ModelUsage>();
            var cpuNow = new Dictionary<int, TimeSpan>();
            foreach (var status in coordinator.GetStatus())
            {
                if (status.Pid is not { } pid || status.State is ModelState.Stopped)
                {
                    continue;
                }
                var family = ProcessTree.HasProcFs ? ProcessTree.Family(pid, session: null) : [];
                var cpu = family.Aggregate(TimeSpan.Zero, (sum, entry) => sum + (CpuTimes.Read(entry.Pid) ?? TimeSpan.Zero));
                cpuNow[pid] = cpu;
                // A process first seen has no previous total: its rate starts at the next sample.
                var used = _previousCpu.TryGetValue(pid, out var before) ? cpu - before : TimeSpan.Zero;
                // Not measured yet (the memory sampler runs twice a second, so only in a model's first
                // half second): 0 rather than a second reading of /proc.
                models.Add(new ModelUsage(status.ModelId, pid, Percent(used, elapsed), status.Measured?.ResidentBytes ?? 0));
            }
            _previousCpu = cpuNow;

            var sample = new ResourceSample(time.GetUtcNow(), gateway, models);
            if (_ring.Count == Capacity)
            {
                _ring.Dequeue();
            }
            _ring.Enqueue(sample);
            return sample;
        }
    }

    private static double Percent(TimeSpan used, TimeSpan elapsed) =>
        elapsed <= TimeSpan.Zero ? 0 : Math.Round(Math.Max(0, used / elapsed) * 100, 1);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sampling CPU and memory failed")]
    private partial void LogSampleFailed(Exception exception);
}
