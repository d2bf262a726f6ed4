namespace ModelSwap.Gateway.Swapping;

/// <summary>
/// One retirement: the models taken out of service, what to do once they are all stopped
/// (<see cref="WhenStopped"/>, run off the loop), and the task that completes when that is done.
/// </summary>
internal sealed class Retirement
{
    public Retirement(IReadOnlyList<string> modelIds, string reason, Func<CancellationToken, Task> whenStopped)
    {
        ModelIds = modelIds;
        Reason = reason;
        WhenStopped = whenStopped;
    }

    public IReadOnlyList<string> ModelIds { get; }

    /// <summary>Logged as the stop reason, e.g. "deleting its files".</summary>
    public string Reason { get; }

    public Func<CancellationToken, Task> WhenStopped { get; }

    internal TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Loop-owned: the entries retired and whether the action was started.</summary>
    internal List<ModelEntry> Entries { get; } = [];

    internal bool Started { get; set; }
}
