namespace ModelSwap.Gateway.Swapping;

/// <summary>
/// The model already has <see cref="Limit"/> requests in flight or queued (its <c>concurrencyLimit</c>).
/// HTTP callers answer 429 with a Retry-After of <see cref="RetryAfter"/>.
/// </summary>
internal sealed class ConcurrencyLimitExceededException : Exception
{
    public ConcurrencyLimitExceededException(string modelId, int limit, TimeSpan retryAfter)
        : base($"model '{modelId}' already has {limit} requests in flight or queued (concurrencyLimit {limit}); retry later")
    {
        ModelId = modelId;
        Limit = limit;
        RetryAfter = retryAfter;
    }

    public string ModelId { get; }

    public int Limit { get; }

    public TimeSpan RetryAfter { get; }
}
