namespace ModelSwap.Dashboard.Components.Service;

/// <summary>The Service page's actions.</summary>
public enum ServiceAction
{
    ReloadConfig,
    RegenerateConfig,
    UnloadAll,
}
