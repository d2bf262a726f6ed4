namespace ModelSwap.Engine.Api;

/// <summary>An image from a request's content (decoded from its data URL), and where it was, for error messages.</summary>
internal sealed record PromptImage(byte[] Data, string MediaType, string Where, string Param);
