using LLama.Native;

namespace ModelSwap.Engine.Inference;

/// <summary>
/// The context's sequence ids, 0 to parallel-1 (llama.cpp rejects higher ones when each slot has its
/// own cache). Always the lowest free id: with a cache per slot llama.cpp cuts a batch into a separate
/// matrix multiplication at every gap in the ascending ids it holds (llama_batch_allocr::split_equal,
/// "sequential"), so ids kept dense and batched in order decode 4 streams as one 4-column product
/// rather than 3 + 1 (measured: 4-stream throughput 0.72x llama-server's before, see bench/run.sh engine).
/// Loop thread only.
/// </summary>
internal sealed class SequenceIds(int count)
{
    private readonly bool[] _used = new bool[count];

    public LLamaSeqId Rent()
    {
        var id = Array.IndexOf(_used, false);
        if (id < 0)
            throw new InvalidOperationException($"all {count} sequences are in use");
        _used[id] = true;
        return (LLamaSeqId)id;
    }

    public void Return(LLamaSeqId id) => _used[id.Value] = false;
}
