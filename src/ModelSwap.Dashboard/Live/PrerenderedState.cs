using System.Text.Json;
using Microsoft.AspNetCore.Components;

namespace ModelSwap.Dashboard.Live;

/// <summary>
/// Takes what a prerendered page put aside for its circuit (<see cref="PersistentComponentState"/>), so
/// the first interactive render shows the same data as the HTML before it instead of "loading".
/// </summary>
internal static class PrerenderedState
{
    /// <summary>The value, or null when there is none or it cannot be read back: the live view then simply reads afresh.</summary>
    public static T? Take<T>(PersistentComponentState state, string key) where T : class
    {
        try
        {
            return state.TryTakeFromJson<T>(key, out var value) ? value : null;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
        {
            return null;
        }
    }
}
