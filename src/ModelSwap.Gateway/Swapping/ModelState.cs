namespace ModelSwap.Gateway.Swapping;

/// <summary>Where a model's process is in its life, as the coordinator sees it.</summary>
public enum ModelState
{
    Stopped,
    Starting,
    Ready,
    Stopping,
}
