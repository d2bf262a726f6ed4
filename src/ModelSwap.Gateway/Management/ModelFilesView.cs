using System.Collections.Immutable;

namespace ModelSwap.Gateway.Management;

/// <summary>A model's files on disk and the facts its GGUF header gives.</summary>
/// <param name="Path">The file the server loads (the first part of a split model).</param>
/// <param name="Parts">Every file of the model (all split parts, in order).</param>
/// <param name="Projector">The paired vision projector (mmproj), if any.</param>
/// <param name="SizeBytes">All parts together (the projector not included).</param>
/// <param name="TrainedContext">The context length the model was trained with.</param>
/// <param name="ContextSize">The context size it is served with (generated configs); null when unknown.</param>
/// <param name="AddedAt">The newest part's modification time.</param>
/// <param name="DiscoveredName">The name the scan gives the file (what a generated config serves it as); null for a file outside the models folders.</param>
public sealed record ModelFilesView(
    string Path,
    ImmutableArray<string> Parts,
    string? Projector,
    long SizeBytes,
    string? Architecture,
    long? Parameters,
    string? Quantization,
    long? TrainedContext,
    long? ContextSize,
    bool Embedding,
    bool ChatTemplate,
    DateTimeOffset AddedAt,
    string? DiscoveredName);
