namespace ModelSwap.Testing.HuggingFace;

/// <summary>
/// Pauses a file download at a byte until released, so tests can act mid-download without sleeping:
/// await <see cref="Reached"/>, act, then <see cref="Release"/>.
/// </summary>
public sealed class MirrorHold
{
    private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal MirrorHold(string repo, string path, long offset)
    {
        Repo = repo;
        FilePath = path;
        Offset = offset;
    }

    public string Repo { get; }

    public string FilePath { get; }

    public long Offset { get; }

    public Task Reached => _reached.Task;

    public void Release() => _released.TrySetResult();

    internal Task WaitAsync(CancellationToken ct)
    {
        _reached.TrySetResult();
        return _released.Task.WaitAsync(ct);
    }
}
