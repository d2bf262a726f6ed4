using LLama.Native;
using ModelSwap.Engine.Inference;

namespace ModelSwap.Engine.Tests.Inference;

/// <summary>Sequence ids stay dense: the lowest free one is always rented (llama.cpp batches gap-free ascending ids as one product).</summary>
public sealed class SequenceIdsTests
{
    [Fact]
    public void RentAlwaysGivesTheLowestFreeId()
    {
        var ids = new SequenceIds(4);
        Assert.Equal([0, 1, 2, 3], Enumerable.Range(0, 4).Select(_ => ids.Rent().Value));

        // 1 then 3 come back: a free list kept as a stack would hand out 3 first and leave a gap at 1.
        ids.Return((LLamaSeqId)1);
        ids.Return((LLamaSeqId)3);
        Assert.Equal(1, ids.Rent().Value);
        Assert.Equal(3, ids.Rent().Value);
    }

    [Fact]
    public void ReturnedIdIsRentedBeforeHigherOnes()
    {
        var ids = new SequenceIds(4);
        for (var i = 0; i < 4; i++)
            ids.Rent();
        ids.Return((LLamaSeqId)0);
        ids.Return((LLamaSeqId)2);
        ids.Return((LLamaSeqId)3);
        ids.Return((LLamaSeqId)1);
        // Every id free again, returned out of order: they are rented 0, 1, 2, 3 all the same.
        Assert.Equal([0, 1, 2, 3], Enumerable.Range(0, 4).Select(_ => ids.Rent().Value));
    }

    [Fact]
    public void RentingMoreThanTheCountFails()
    {
        var ids = new SequenceIds(2);
        ids.Rent();
        ids.Rent();
        Assert.Throws<InvalidOperationException>(() => ids.Rent());
    }
}
