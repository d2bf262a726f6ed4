using ModelSwap.Engine.Inference;

namespace ModelSwap.Engine.Tests.Inference;

/// <summary>The decode batch: tokens in ascending sequence id whatever the slot order, running streams served before prompts.</summary>
public sealed class BatchPlannerTests
{
    private static BatchShare[] Plan(int room, params BatchClaim[] claims)
    {
        var shares = new BatchShare[claims.Length];
        var written = BatchPlanner.Plan(claims, room, shares);
        return shares[..written];
    }

    [Fact]
    public void TokensGoInAscendingSequenceIdWhateverTheSlotOrder()
    {
        // Slots admitted as 3, 0, 2, 1 (e.g. ids freed and rented again in another order).
        var shares = Plan(512,
            new BatchClaim(3, Generating: true, Pending: 1),
            new BatchClaim(0, Generating: true, Pending: 1),
            new BatchClaim(2, Generating: true, Pending: 1),
            new BatchClaim(1, Generating: true, Pending: 1));

        Assert.Equal([new(0, 1), new(1, 1), new(2, 1), new(3, 1)], shares);
    }

    [Fact]
    public void PromptsAndGeneratingSlotsMixInAscendingId()
    {
        // A prompt on id 0 joins two running streams on ids 1 and 2: id order still rules the batch.
        var shares = Plan(512,
            new BatchClaim(2, Generating: true, Pending: 1),
            new BatchClaim(0, Generating: false, Pending: 40),
            new BatchClaim(1, Generating: true, Pending: 1));

        Assert.Equal([new(0, 40), new(1, 1), new(2, 1)], shares);
    }

    [Fact]
    public void GeneratingSlotsGetRoomBeforePromptsWhenTheBatchIsFull()
    {
        // Room for 10: the two running streams take 2, the prompt on the lowest id gets only the remaining 8.
        var shares = Plan(10,
            new BatchClaim(0, Generating: false, Pending: 100),
            new BatchClaim(1, Generating: true, Pending: 1),
            new BatchClaim(2, Generating: true, Pending: 1));

        Assert.Equal([new(0, 8), new(1, 1), new(2, 1)], shares);
    }

    [Fact]
    public void APromptThatFindsNoRoomWaitsForTheNextStep()
    {
        var shares = Plan(2,
            new BatchClaim(0, Generating: false, Pending: 30),
            new BatchClaim(3, Generating: true, Pending: 1),
            new BatchClaim(1, Generating: true, Pending: 1),
            new BatchClaim(2, Generating: false, Pending: 5));

        Assert.Equal([new(1, 1), new(3, 1)], shares);
    }

    [Fact]
    public void SlotsWithNothingQueuedAreLeftOut()
    {
        var shares = Plan(512,
            new BatchClaim(1, Generating: true, Pending: 0),
            new BatchClaim(0, Generating: true, Pending: 1));

        Assert.Equal([new(0, 1)], shares);
    }
}
