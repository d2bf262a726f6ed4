using LLama.Native;

namespace ModelSwap.Engine.Inference;

/// <summary>
/// The context's sequence ids, 0 to parallel-1 (llama.cpp rejects higher ones when each slot has its
/// own cache): a finished generation's id goes back for the next one. Loop thread only.
/// </summary>
internal sealed class SequenceIds(int count)
{
    private readonly Stack<int> _free = new(Enumerable.Range(0, count).Reverse());

    public LLamaSeqId Rent() => _free.TryPop(out var id)
        ? (LLamaSeqId)id
        : throw new InvalidOperationException($"all {count} sequences are in use");

    public void Return(LLamaSeqId id) => _free.Push(id.Value);
}
