namespace ModelSwap.Gateway.Api;

/// <summary>POST /api/downloads: <c>model</c> is org/repo, org/repo:QUANT, org/repo/FILE.gguf or hf.co/org/repo:QUANT.</summary>
internal sealed record StartDownloadRequest(string? Model, string? Revision);
