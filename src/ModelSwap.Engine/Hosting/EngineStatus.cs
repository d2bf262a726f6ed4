namespace ModelSwap.Engine.Hosting;

/// <summary>Where the engine is in its life: `/health` answers 503 while loading, 200 when ready.</summary>
internal enum EngineStatus
{
    NotStarted,
    Loading,
    Ready,
    Failed,
    Stopped,
}
