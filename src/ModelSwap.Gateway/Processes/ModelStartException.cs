namespace ModelSwap.Gateway.Processes;

/// <summary>A model's server could not be started or never became healthy.</summary>
internal sealed class ModelStartException : Exception
{
    public ModelStartException(string modelId, string message, IReadOnlyList<string> lastLogLines, Exception? inner = null)
        : base(message, inner)
    {
        ModelId = modelId;
        LastLogLines = lastLogLines;
    }

    public string ModelId { get; }

    /// <summary>The last lines the process wrote, to show the user why it failed.</summary>
    public IReadOnlyList<string> LastLogLines { get; }

    /// <summary>True when the start gave up waiting for health (the process may have been alive).</summary>
    public bool TimedOut { get; init; }
}
