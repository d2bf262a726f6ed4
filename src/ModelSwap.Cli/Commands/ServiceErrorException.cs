using System.Net;

namespace ModelSwap.Cli.Commands;

/// <summary>The service answered with an error; <see cref="Exception.Message"/> is its envelope's message.</summary>
internal sealed class ServiceErrorException(HttpStatusCode status, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;
}
