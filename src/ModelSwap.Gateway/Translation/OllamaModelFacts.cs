using System.Collections.Immutable;
using ModelSwap.Gateway.Swapping;

namespace ModelSwap.Gateway.Translation;

/// <summary>
/// What Ollama's model routes say about one model, taken from the one model inventory and the
/// coordinator's live state (see <c>OllamaModelSource</c>); the views here only reshape it.
/// </summary>
/// <param name="Path">The GGUF file the server loads; null when ModelSwap cannot see one (a custom command).</param>
/// <param name="Sha256">The file's sha256 when known (downloaded by ModelSwap); null otherwise.</param>
/// <param name="ContextSize">The context the model is served with.</param>
/// <param name="ResidentBytes">Memory of the running process tree, when known.</param>
internal sealed record OllamaModelFacts(
    string Id,
    ImmutableArray<string> Aliases,
    string? Path,
    long SizeBytes,
    DateTimeOffset ModifiedAt,
    string? Sha256,
    string? Architecture,
    long? Parameters,
    string? Quantization,
    long? ContextSize,
    bool Embedding,
    string? Projector,
    ModelStatus? Live,
    long? ResidentBytes);
