namespace ModelSwap.Gateway.Swapping;

/// <summary>The requested model id is not in the configuration (or a reload removed it while queued).</summary>
internal sealed class UnknownModelException : Exception
{
    public UnknownModelException(string modelId)
        : this(modelId, $"model '{modelId}' is not in the configuration")
    {
    }

    public UnknownModelException(string modelId, string message)
        : base(message)
    {
        ModelId = modelId;
    }

    public string ModelId { get; }
}
