using ModelSwap.Engine.Inference;

namespace ModelSwap.Engine.Tests.Inference;

public sealed class StopSequenceMatcherTests
{
    [Fact]
    public void WithoutStopSequencesTextPassesThrough()
    {
        var matcher = new StopSequenceMatcher([]);
        Assert.Equal("abc", matcher.Push("abc"));
        Assert.Equal("", matcher.Flush());
        Assert.False(matcher.Stopped);
    }

    [Fact]
    public void StopSequenceSplitOverPiecesCutsBeforeIt()
    {
        var matcher = new StopSequenceMatcher(["<end>"]);
        Assert.Equal("abc", matcher.Push("abc<e"));
        Assert.False(matcher.Stopped);
        Assert.Equal("", matcher.Push("nd>xyz"));
        Assert.True(matcher.Stopped);
        Assert.Equal("", matcher.Push("more"));
        Assert.Equal("", matcher.Flush());
    }

    [Fact]
    public void HeldTextIsReleasedWhenItCannotBecomeAStop()
    {
        var matcher = new StopSequenceMatcher(["<end>"]);
        Assert.Equal("a", matcher.Push("a<"));
        Assert.Equal("<x", matcher.Push("x"));
        Assert.Equal("b", matcher.Push("b<en"));
        Assert.Equal("<en", matcher.Flush());
        Assert.False(matcher.Stopped);
    }

    [Fact]
    public void EarliestOfSeveralStopsWins()
    {
        var matcher = new StopSequenceMatcher(["world", "lo"]);
        Assert.Equal("hel", matcher.Push("hello world"));
        Assert.True(matcher.Stopped);
    }

    [Fact]
    public void StopMatchingInsideOnePieceKeepsTheTextBefore()
    {
        var matcher = new StopSequenceMatcher(["\n\n"]);
        Assert.Equal("one", matcher.Push("one\n"));
        Assert.Equal("", matcher.Push("\ntwo"));
        Assert.True(matcher.Stopped);
    }
}
