namespace ModelSwap.Core.Catalog;

/// <summary>
/// llama.cpp's pooling types, as stored in <c>{arch}.pooling_type</c>: how one vector is made from
/// a sequence's hidden states. <see cref="Rank"/> marks a reranker (a classification head scores a
/// query and document pair).
/// </summary>
public enum PoolingType
{
    None = 0,
    Mean = 1,
    Cls = 2,
    Last = 3,
    Rank = 4,
}
