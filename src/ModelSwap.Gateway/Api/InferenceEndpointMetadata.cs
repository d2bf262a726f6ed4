namespace ModelSwap.Gateway.Api;

/// <summary>Marks endpoints that reach models, so API-key checks apply to them.</summary>
internal sealed class InferenceEndpointMetadata;
