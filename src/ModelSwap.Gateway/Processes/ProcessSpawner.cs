using System.Collections.Concurrent;

namespace ModelSwap.Gateway.Processes;

/// <summary>
/// Starts every model process from one long-lived thread. Linux delivers a child's parent-death
/// signal (PR_SET_PDEATHSIG, set by setpriv) when the THREAD that forked it exits, not the process,
/// and .NET forks on the calling thread; a thread-pool thread that retires would take the model
/// server with it. This thread lives as long as ModelSwap, so the signal fires exactly when
/// ModelSwap dies.
/// </summary>
internal sealed class ProcessSpawner
{
    private readonly BlockingCollection<Action> _work = [];

    private ProcessSpawner()
    {
        var thread = new Thread(Run) { IsBackground = true, Name = "modelswap-process-spawner" };
        thread.Start();
    }

    public static ProcessSpawner Shared { get; } = new();

    /// <summary>Runs <paramref name="start"/> (which calls Process.Start) on the spawner thread.</summary>
    public Task<T> RunAsync<T>(Func<T> start)
    {
        var result = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try
            {
                result.SetResult(start());
            }
            catch (Exception e)
            {
                result.SetException(e);
            }
        });
        return result.Task;
    }

    private void Run()
    {
        foreach (var item in _work.GetConsumingEnumerable())
        {
            item();
        }
    }
}
