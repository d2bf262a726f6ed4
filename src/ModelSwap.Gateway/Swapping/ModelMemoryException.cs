using ModelSwap.Core.Memory;

namespace ModelSwap.Gateway.Swapping;

/// <summary>A model that cannot fit in the memory budget even after stopping everything that may be stopped.</summary>
internal sealed class ModelMemoryException : Exception
{
    public ModelMemoryException(string modelId, MemoryDecision decision)
        : base(Describe(modelId, decision))
    {
        ModelId = modelId;
        Decision = decision;
    }

    public string ModelId { get; }

    public MemoryDecision Decision { get; }

    private static string Describe(string modelId, MemoryDecision d)
    {
        var need = d.Need.GpuBytes > 0
            ? $"{ByteSize.Format(d.Need.RamBytes)} of RAM and {ByteSize.Format(d.Need.GpuBytes)} of GPU memory"
            : ByteSize.Format(d.Need.RamBytes);
        var budget = d.Budget.GpuBytes is { } gpu
            ? $"{ByteSize.Format(d.Budget.RamBytes)} of RAM and {ByteSize.Format(gpu)} of GPU memory"
            : ByteSize.Format(d.Budget.RamBytes);
        return d.Outcome == MemoryOutcome.BlockedByPersistent
            ? $"model '{modelId}' needs {need} but the memory budget is {budget} and persistent models hold {ByteSize.Format(d.HeldByPersistent.TotalBytes)}; raise memoryBudget, lower its ctx-size, or set its memory:"
            : $"model '{modelId}' needs {need} but the memory budget is {budget}; raise memoryBudget (or memoryReserve lower), lower its ctx-size or --parallel, or use a smaller quantization";
    }
}
