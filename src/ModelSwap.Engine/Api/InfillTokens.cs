namespace ModelSwap.Engine.Api;

/// <summary>The special tokens a fill-in-the-middle prompt is built from; the optional ones are null when the model has none.</summary>
internal sealed record InfillTokens(int Prefix, int Suffix, int Middle, int? Bos = null, int? Repository = null, int? FileSeparator = null);
