namespace ModelSwap.Gateway.Processes;

/// <summary>
/// The second SIGTERM or Ctrl+C: no more waiting. Hands every model server (and whatever it started,
/// see <see cref="ProcessTags"/>) to the session reaper to be SIGKILLed; the caller exits at once.
/// </summary>
internal static class EmergencyStop
{
    public static void KillEveryModel() => SessionReaper.Shared?.CloseInput();
}
