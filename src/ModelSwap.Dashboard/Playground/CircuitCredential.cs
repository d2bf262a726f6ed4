namespace ModelSwap.Dashboard.Playground;

/// <summary>
/// The API key of the person whose browser holds this circuit (from the session cookie or header their
/// connection came with), kept in server memory only. The Playground sends it on their behalf, so its
/// calls to /v1 pass the same key check as any client's. Null when keys are not required.
/// </summary>
internal sealed class CircuitCredential
{
    public string? Key { get; set; }
}
