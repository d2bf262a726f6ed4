using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelSwap.Core.Configuration;
using ModelSwap.Gateway.Swapping;
using ModelSwap.Gateway.Translation;

namespace ModelSwap.Gateway.Api.Ollama;

/// <summary>
/// The facts Ollama's model routes show, read from the served configuration (a generated config
/// carries each model's file and GGUF facts), the models manifest (sha256) and the coordinator's
/// live state.
/// </summary>
internal sealed class OllamaModelSource(ModelCoordinator coordinator)
{
    public IReadOnlyList<OllamaModelFacts> List()
    {
        var config = coordinator.Config;
        var live = coordinator.GetStatus().ToDictionary(s => s.ModelId, StringComparer.Ordinal);
        return [.. config.Models.Values
            .Where(m => !m.Unlisted)
            .Select(m => Facts(m, live.GetValueOrDefault(m.Id)))];
    }

    /// <summary>The model a client names (id, alias, with or without ":latest"); null when none.</summary>
    public OllamaModelFacts? Find(string name)
    {
        var id = OllamaModelNames.Resolve(coordinator.Config, name);
        if (id is null || !coordinator.Config.Models.TryGetValue(id, out var model))
        {
            return null;
        }
        return Facts(model, coordinator.GetStatus().FirstOrDefault(s => s.ModelId == id));
    }

    private static OllamaModelFacts Facts(ModelConfig model, ModelStatus? live)
    {
        var metadata = model.Metadata;
        var path = Text(metadata, "file") ?? ModelFileArgument(model.Command);
        var file = path is null ? null : new FileInfo(path);
        return new OllamaModelFacts(
            model.Id,
            model.Aliases,
            path,
            Number(metadata, "sizeBytes") ?? (file?.Exists == true ? file.Length : 0),
            file?.Exists == true ? file.LastWriteTimeUtc : DateTimeOffset.UnixEpoch,
            Sha256: null, // the inventory's origin (manifest) supplies it
            Text(metadata, "architecture"),
            Number(metadata, "parameters"),
            Text(metadata, "quantization"),
            Number(metadata, "contextSize") ?? ContextArgument(model.Command),
            metadata?["embedding"] is JsonValue e && e.GetValueKind() == JsonValueKind.True,
            Text(metadata, "projector"),
            live,
            ResidentBytes: null);
    }

    private static string? ModelFileArgument(ImmutableArray<string> command)
    {
        for (var i = 0; i + 1 < command.Length; i++)
        {
            if (command[i] is "--model" or "-m")
            {
                return command[i + 1];
            }
        }
        return null;
    }

    private static long? ContextArgument(ImmutableArray<string> command)
    {
        for (var i = 0; i + 1 < command.Length; i++)
        {
            if (command[i] is "--ctx-size" or "-c" && long.TryParse(command[i + 1], out var size))
            {
                return size;
            }
        }
        return null;
    }

    private static string? Text(JsonObject? metadata, string key) =>
        metadata?[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static long? Number(JsonObject? metadata, string key) =>
        OllamaFields.Number(metadata?[key]) is { } number ? (long)number : null;
}
