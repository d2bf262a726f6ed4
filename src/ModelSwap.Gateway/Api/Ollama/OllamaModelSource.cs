using ModelSwap.Gateway.Management;
using ModelSwap.Gateway.Swapping;
using ModelSwap.Gateway.Translation;

namespace ModelSwap.Gateway.Api.Ollama;

/// <summary>
/// The facts Ollama's model routes show, from the one model inventory (config entry, files, origin,
/// live state, through <see cref="IModelManagement"/>) plus the coordinator's idle countdown, which
/// Ollama shows as <c>expires_at</c>.
/// </summary>
internal sealed class OllamaModelSource(IModelManagement management, ModelCoordinator coordinator)
{
    /// <summary>The served, listed models.</summary>
    public async Task<IReadOnlyList<OllamaModelFacts>> ListAsync(CancellationToken cancellationToken)
    {
        var models = await management.ListAsync(cancellationToken).ConfigureAwait(false);
        var live = coordinator.GetStatus().ToDictionary(s => s.ModelId, StringComparer.Ordinal);
        return [.. models.Where(m => m.Served && m.Listed).Select(m => Facts(m, live.GetValueOrDefault(m.Id)))];
    }

    /// <summary>The model a client names (id, alias, with or without ":latest"); null when none.</summary>
    public async Task<OllamaModelFacts?> FindAsync(string name, CancellationToken cancellationToken)
    {
        if (OllamaModelNames.Resolve(coordinator.Config, name) is not { } id)
        {
            return null;
        }
        var model = await management.GetAsync(id, cancellationToken).ConfigureAwait(false);
        return Facts(model, coordinator.GetStatus().FirstOrDefault(s => s.ModelId == model.Id));
    }

    private static OllamaModelFacts Facts(ModelInfo model, ModelStatus? live)
    {
        var files = model.Files;
        // The manifest records paths relative to the models folder; the loaded file is the one whose path ends so.
        var sha = files is null ? null : model.Origin?.Files
            .Where(f => files.Path.Replace('\\', '/').EndsWith("/" + f.Path, StringComparison.Ordinal))
            .Select(f => f.Sha256)
            .FirstOrDefault();
        return new OllamaModelFacts(
            model.Id,
            model.Aliases,
            files?.Path,
            files?.SizeBytes ?? 0,
            files?.AddedAt ?? DateTimeOffset.UnixEpoch,
            sha,
            files?.Architecture,
            files?.Parameters,
            files?.Quantization,
            files?.ContextSize ?? files?.TrainedContext,
            files?.Embedding ?? false,
            files?.Projector,
            live,
            model.Live.ResidentBytes);
    }
}
