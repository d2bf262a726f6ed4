namespace ModelSwap.Gateway.Swapping;

/// <summary>One queued acquire. Completed only by the loop; its continuations never run on the loop.</summary>
internal sealed class Waiter
{
    public Waiter(string modelId, CancellationToken cancellationToken)
    {
        ModelId = modelId;
        CancellationToken = cancellationToken;
    }

    public string ModelId { get; }

    public CancellationToken CancellationToken { get; }

    public TaskCompletionSource<ModelLease> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CancellationTokenRegistration Registration { get; set; }

    /// <summary>When the loop queued it (for the wait time shown in /running).</summary>
    public DateTimeOffset EnqueuedAt { get; set; }

    public void Grant(ModelLease lease)
    {
        Registration.Unregister();
        if (!Completion.TrySetResult(lease))
        {
            // Cannot happen (only the loop completes waiters), but a lease nobody holds must not pin the model.
            lease.Dispose();
        }
    }

    public void Fail(Exception error)
    {
        Registration.Unregister();
        Completion.TrySetException(error);
    }

    public void Cancel()
    {
        Registration.Unregister();
        Completion.TrySetCanceled(CancellationToken);
    }
}
