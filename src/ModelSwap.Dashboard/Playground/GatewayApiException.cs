namespace ModelSwap.Dashboard.Playground;

/// <summary>The gateway answered with an error; <see cref="Exception.Message"/> is the server's own message.</summary>
internal sealed class GatewayApiException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
