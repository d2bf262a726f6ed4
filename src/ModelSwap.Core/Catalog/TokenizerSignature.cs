namespace ModelSwap.Core.Catalog;

/// <summary>
/// What a scan knows of a model's tokenizer without keeping its vocabulary: the tokenizer kind,
/// its pre-tokenizer, how many tokens it has and its special ids. Two models that differ here
/// cannot share token ids, so one cannot draft for the other; equal signatures are then checked
/// token by token (<see cref="DraftSuggestions"/>).
/// </summary>
public sealed record TokenizerSignature(string? Model, string? Pre, long VocabularySize, long? BosId, long? EosId);
