namespace ModelSwap.Gateway.Routing;

/// <summary>What the gateway learned from a request before routing it.</summary>
/// <param name="ModelName">The requested model (id or alias), or null when the request names none.</param>
/// <param name="IsJson">The body is a JSON object (buffered in Request.Body, rewound); useModelName and filters apply to it.</param>
/// <param name="Streams">The JSON body's top-level "stream" is true (the client wants server-sent events).</param>
internal sealed record RequestModel(string? ModelName, bool IsJson, bool Streams);
