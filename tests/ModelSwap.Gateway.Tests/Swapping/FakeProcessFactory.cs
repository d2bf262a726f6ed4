using System.Collections.Concurrent;
using ModelSwap.Core.Configuration;
using ModelSwap.Gateway.Processes;

namespace ModelSwap.Gateway.Tests.Swapping;

/// <summary>Makes <see cref="FakeModelProcess"/>es and lets a test await the n-th one made for a model.</summary>
internal sealed class FakeProcessFactory : IModelProcessFactory
{
    private readonly ConcurrentDictionary<(string ModelId, int Index), TaskCompletionSource<FakeModelProcess>> _slots = new();
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _events = new();
    private int _nextPid = 1000;
    private int _alive;
    private int _maxAlive;

    /// <summary>When true (the default) starts finish at once; otherwise the test calls CompleteStart.</summary>
    public bool AutoStart { get; set; } = true;

    /// <summary>When set, Create throws this for the model.</summary>
    public Func<ModelConfig, Exception?> CreateError { get; set; } = _ => null;

    /// <summary>"create x", "start x", "stop x" in the order they happened.</summary>
    public IReadOnlyList<string> Events => [.. _events];

    public int CreatedCount(string modelId) => _counts.GetValueOrDefault(modelId);

    public int TotalCreated => _counts.Values.Sum();

    public IModelProcess Create(ModelConfig model)
    {
        if (CreateError(model) is { } error)
        {
            throw error;
        }
        var index = _counts.AddOrUpdate(model.Id, 1, (_, n) => n + 1) - 1;
        var process = new FakeModelProcess(this, model, Interlocked.Increment(ref _nextPid), AutoStart);
        Record($"create {model.Id}");
        Slot(model.Id, index).TrySetResult(process);
        return process;
    }

    /// <summary>The <paramref name="index"/>-th process made for the model (0 = first), once it exists.</summary>
    public Task<FakeModelProcess> Process(string modelId, int index = 0) =>
        Slot(modelId, index).Task.WaitAsync(CoordinatorHarness.HangGuard);

    /// <summary>Most processes alive at once (between the start call and the stop or failed start).</summary>
    public int MaxAlive => Volatile.Read(ref _maxAlive);

    internal void Record(string line) => _events.Enqueue(line);

    internal void ProcessCameAlive()
    {
        var alive = Interlocked.Increment(ref _alive);
        int max;
        while (alive > (max = Volatile.Read(ref _maxAlive)) && Interlocked.CompareExchange(ref _maxAlive, alive, max) != max)
        {
        }
    }

    internal void ProcessDied() => Interlocked.Decrement(ref _alive);

    private TaskCompletionSource<FakeModelProcess> Slot(string modelId, int index) =>
        _slots.GetOrAdd((modelId, index), _ => new TaskCompletionSource<FakeModelProcess>(TaskCreationOptions.RunContinuationsAsynchronously));
}
