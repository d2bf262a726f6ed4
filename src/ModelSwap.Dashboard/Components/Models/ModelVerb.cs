namespace ModelSwap.Dashboard.Components.Models;

/// <summary>The per-model actions of the Models page.</summary>
public enum ModelVerb
{
    Load,
    Unload,
    Restart,
    Delete,
}
