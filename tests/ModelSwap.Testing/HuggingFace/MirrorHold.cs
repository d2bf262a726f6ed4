namespace ModelSwap.Testing.HuggingFace;

/// <summary>
/// Pauses a file download at a byte until released, so tests can act mid-download without sleeping:
/// await <see cref="Reached"/>, act, then <see cref="Release"/>.
/// </summary>
public sealed class MirrorHold
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal MirrorHold(string repo, string path, long offset, bool untilReleased)
    {
        UntilReleased = untilReleased;
        Repo = repo;
        FilePath = path;
        Offset = offset;
    }

    public string Repo { get; }

    public string FilePath { get; }

    public long Offset { get; }

    public Task Reached => _reached.Task;

    /// <summary>Holds every download that reaches <see cref="Offset"/> until released, not only the next.</summary>
    public bool UntilReleased { get; }

    internal bool IsReleased => _released.Task.IsCompleted;

    public void Release() => _released.TrySetResult();

    internal Task WaitAsync(CancellationToken ct)
    {
        _reached.TrySetResult();
        return _released.Task.WaitAsync(ct);
    }
}
