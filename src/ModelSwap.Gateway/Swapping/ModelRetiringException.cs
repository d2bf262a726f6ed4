namespace ModelSwap.Gateway.Swapping;

/// <summary>The model is being deleted: it takes no requests (HTTP callers answer 409).</summary>
internal sealed class ModelRetiringException : Exception
{
    public ModelRetiringException(string modelId)
        : base($"model '{modelId}' is being deleted; it takes no requests")
    {
        ModelId = modelId;
    }

    public string ModelId { get; }
}
