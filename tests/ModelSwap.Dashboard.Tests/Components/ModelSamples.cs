using System.Collections.Immutable;
using ModelSwap.Gateway.Management;
using ModelSwap.Gateway.Swapping;

namespace ModelSwap.Dashboard.Tests.Components;

/// <summary>Models as the management layer describes them, for rendering tests.</summary>
internal static class ModelSamples
{
    public static ModelInfo Model(string id, ModelState state = ModelState.Stopped, string[]? aliases = null, bool embedding = false) => new(
        id,
        Served: true,
        Listed: true,
        new ModelConfigView(null, null, [.. aliases ?? []], "(default)", 300, ModelRuntimes.Engine,
            ["modelswap", "engine", "--model", $"/models/{id}.gguf", "--port", "5800"], "http://127.0.0.1:5800", 5800, 0, null),
        new ModelFilesView($"/models/{id}.gguf", [$"/models/{id}.gguf"], null, 3_400_000, "llama", 494_000_000, "Q4_K_M", 32768, 8192,
            embedding, !embedding, DateTimeOffset.UnixEpoch, DiscoveredName: id),
        null,
        state == ModelState.Stopped
            ? ModelLiveView.Stopped
            : new ModelLiveView(state, 1234, 5800, DateTimeOffset.UnixEpoch, null, 0, 0, 512L * 1024 * 1024));

    public static ImmutableArray<ModelInfo> Two =>
    [
        Model("demo:chat-tiny", ModelState.Ready, ["gpt-3.5-turbo"]),
        Model("demo:embed-tiny", embedding: true),
    ];
}
