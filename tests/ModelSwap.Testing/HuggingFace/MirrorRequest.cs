namespace ModelSwap.Testing.HuggingFace;

/// <summary>A request as the mirror saw it; <see cref="Host"/> tells the primary and the CDN host apart.</summary>
public sealed record MirrorRequest(string Host, string Method, string Path, string Query, string? Authorization, string? Range);
