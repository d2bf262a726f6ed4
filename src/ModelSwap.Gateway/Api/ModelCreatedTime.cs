namespace ModelSwap.Gateway.Api;

/// <summary>
/// The <c>created</c> of a /v1/models entry (Unix seconds, never 0): the model file's time when the
/// inventory knows its file, else when the gateway started.
/// </summary>
internal static class ModelCreatedTime
{
    private static readonly long Started = new DateTimeOffset(System.Diagnostics.Process.GetCurrentProcess().StartTime.ToUniversalTime()).ToUnixTimeSeconds();

    public static long Of(DateTimeOffset? fileTime) => fileTime is { } time && time.ToUnixTimeSeconds() > 0 ? time.ToUnixTimeSeconds() : Started;
}
