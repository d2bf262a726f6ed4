namespace ModelSwap.Dashboard.Components.Models;

/// <summary>An action asked for on the Models page: Load, Unload, Restart or Delete one model.</summary>
public sealed record ModelCommand(ModelVerb Verb, string ModelId)
{
    /// <summary>What the row says while the action runs ("loading demo:chat-tiny…").</summary>
    public string Progress => Verb switch
    {
        ModelVerb.Load => $"loading {ModelId}…",
        ModelVerb.Unload => $"unloading {ModelId} (after its requests end)…",
        ModelVerb.Restart => $"restarting {ModelId}…",
        _ => $"deleting {ModelId}…",
    };
}
