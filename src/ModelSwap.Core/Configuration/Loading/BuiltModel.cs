namespace ModelSwap.Core.Configuration.Loading;

/// <summary>A model after expansion: its config (null when it has errors) and its expanded aliases.</summary>
internal sealed record BuiltModel(string Id, int Line, ModelConfig? Config, IReadOnlyList<Scalar> Aliases);
