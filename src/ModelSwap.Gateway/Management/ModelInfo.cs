using System.Collections.Immutable;

namespace ModelSwap.Gateway.Management;

/// <summary>
/// One model as every face sees it (the CLI, <c>/v1/models</c>, <c>/api/models</c>, Ollama's
/// <c>/api/tags</c>, the dashboard): its config entry, its files, where it came from and what its
/// process does now. Built by <see cref="ModelInventory"/> from one snapshot, so the parts agree.
/// </summary>
/// <param name="Id">The served model id (for generated configs the scan name, e.g. <c>llama3.2:1b-instruct</c>).</param>
/// <param name="Served">True when the config serves it; false for a file in a models folder that no config entry uses (or that models.yaml disables).</param>
/// <param name="Listed">Shown in <c>/v1/models</c> (served and not <c>unlisted</c>).</param>
/// <param name="Config">The config entry; null when not served.</param>
/// <param name="Files">The GGUF files; null when the model's command names no file ModelSwap can see.</param>
/// <param name="Origin">Where the files were downloaded from (the models manifest); null for files ModelSwap did not download.</param>
/// <param name="Live">The process's state now.</param>
public sealed record ModelInfo(
    string Id,
    bool Served,
    bool Listed,
    ModelConfigView? Config,
    ModelFilesView? Files,
    ModelOriginView? Origin,
    ModelLiveView Live)
{
    /// <summary>The config's aliases (empty when not served).</summary>
    public ImmutableArray<string> Aliases => Config?.Aliases ?? [];
}
