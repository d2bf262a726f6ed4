namespace ModelSwap.Gateway.Routing;

/// <summary>What the gateway learned from a request before routing it.</summary>
/// <param name="ModelName">The requested model (id or alias), or null when the request names none.</param>
/// <param name="JsonBody">The buffered JSON body, when the request had one; forwarded (maybe rewritten) from here.</param>
internal sealed record RequestModel(string? ModelName, byte[]? JsonBody);
