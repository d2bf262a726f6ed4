using ModelSwap.Core.Configuration;

namespace ModelSwap.Gateway.Api;

/// <summary>
/// The <c>created</c> of a /v1/models entry (Unix seconds, never 0): the model file's time when the
/// config names its file (generated configs do, in metadata.file), else when the gateway started.
/// </summary>
internal static class ModelCreatedTime
{
    private static readonly long Started = new DateTimeOffset(System.Diagnostics.Process.GetCurrentProcess().StartTime.ToUniversalTime()).ToUnixTimeSeconds();

    public static long Of(ModelConfig model)
    {
        if (model.Metadata?["file"] is System.Text.Json.Nodes.JsonValue value && value.TryGetValue<string>(out var path)
            && Path.IsPathFullyQualified(path))
        {
            try
            {
                var info = new FileInfo(path);
                if (info.Exists)
                {
                    return new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeSeconds();
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
            {
            }
        }
        return Started;
    }
}
