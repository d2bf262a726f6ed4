namespace ModelSwap.Gateway.Routing;

/// <summary>The client's request cannot be routed as sent; answered with a 400 envelope.</summary>
internal sealed class BadRequestException(string message) : Exception(message);
