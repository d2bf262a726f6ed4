namespace ModelSwap.Core.Catalog;

/// <summary>What <see cref="AliasRules"/> needs to know about one model.</summary>
/// <param name="Name">The model's name (see <see cref="ModelNaming"/>).</param>
/// <param name="ParameterCount">Parameters, or null when unknown (then no size-based alias).</param>
/// <param name="IsEmbedding">An embedding model (pooling type set, bert-like architecture).</param>
/// <param name="IsInstruct">Tuned to follow instructions or chat (instruct/chat/it in its name or finetune, or a chat template).</param>
/// <param name="AddedAt">When the model file appeared (its modification time).</param>
/// <param name="IsReranker">A reranker: it takes the rerank aliases, never the embedding ones.</param>
internal sealed record AliasCandidate(string Name, long? ParameterCount, bool IsEmbedding, bool IsInstruct, DateTimeOffset AddedAt, bool IsReranker = false);
