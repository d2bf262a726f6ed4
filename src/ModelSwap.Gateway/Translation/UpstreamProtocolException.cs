namespace ModelSwap.Gateway.Translation;

/// <summary>The model server answered with something the translation cannot read, or an error in its stream.</summary>
internal sealed class UpstreamProtocolException(string message) : Exception(message);
