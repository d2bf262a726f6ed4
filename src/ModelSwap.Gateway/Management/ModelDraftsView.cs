namespace ModelSwap.Gateway.Management;

/// <summary>The models that could draft for a model in speculative decoding, and the draft models.yaml sets for it.</summary>
/// <param name="Model">The model's id.</param>
/// <param name="Drafts">Smaller chat models of its family whose GGUF vocabulary is its own, token for token (best first); empty when none.</param>
/// <param name="Current">The <c>draft:</c> models.yaml sets for it; null when none is set (or the config is a file of the user's own).</param>
public sealed record ModelDraftsView(string Model, IReadOnlyList<string> Drafts, string? Current);
