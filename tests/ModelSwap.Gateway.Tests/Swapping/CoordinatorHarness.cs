using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ModelSwap.Core.Configuration;
using ModelSwap.Gateway.Swapping;

namespace ModelSwap.Gateway.Tests.Swapping;

/// <summary>A coordinator over fake processes and fake time, plus helpers to wait on it without sleeping.</summary>
internal sealed class CoordinatorHarness : IAsyncDisposable
{
    /// <summary>Only a guard against hangs; no test relies on how long anything takes.</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2);

    public CoordinatorHarness(ModelSwapConfig config, bool autoStart = true)
    {
        Factory = new FakeProcessFactory { AutoStart = autoStart };
        Coordinator = new ModelCoordinator(Factory, Time, NullLogger<ModelCoordinator>.Instance, config);
    }

    public FakeTimeProvider Time { get; } = new();

    public FakeProcessFactory Factory { get; }

    public ModelCoordinator Coordinator { get; }

    public Task<ModelLease> Acquire(string modelId, CancellationToken cancellationToken = default) =>
        Coordinator.AcquireAsync(modelId, cancellationToken).AsTask();

    /// <summary>Waits until the coordinator has handled everything posted so far.</summary>
    public Task Flush() => Coordinator.FlushAsync().WaitAsync(HangGuard);

    public ModelStatus Status(string modelId) => Coordinator.GetStatus().Single(s => s.ModelId == modelId);

    /// <summary>Completes when the model reaches the state (at once if it is there already).</summary>
    public async Task WaitForState(string modelId, ModelState state)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(ModelStatus s)
        {
            if (s.ModelId == modelId && s.State == state)
            {
                reached.TrySetResult();
            }
        }
        Coordinator.StateChanged += OnChanged;
        try
        {
            if (Coordinator.GetStatus().Any(s => s.ModelId == modelId && s.State == state))
            {
                return;
            }
            await reached.Task.WaitAsync(HangGuard);
        }
        finally
        {
            Coordinator.StateChanged -= OnChanged;
        }
    }

    public ValueTask DisposeAsync() => Coordinator.DisposeAsync();
}
