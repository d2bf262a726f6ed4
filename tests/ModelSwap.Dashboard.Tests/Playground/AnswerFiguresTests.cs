using ModelSwap.Dashboard.Playground;

namespace ModelSwap.Dashboard.Tests.Playground;

public sealed class AnswerFiguresTests
{
    [Fact]
    public void SpeedCountsTheTokensAfterTheFirstOverTheTimeAfterIt()
    {
        var figures = AnswerFigures.From(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), tokens: 21, chunks: 5, upstreamRate: null, stopped: false);
        Assert.Equal(10.0, figures.TokensPerSecond);
        Assert.Equal(21, figures.CompletionTokens);
    }

    [Fact]
    public void TheUpstreamsOwnFigureWins() =>
        Assert.Equal(42.5, AnswerFigures.From(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), 21, 5, 42.5, false).TokensPerSecond);

    [Fact]
    public void WithoutUsageTheChunksAreCounted() =>
        Assert.Equal(2.0, AnswerFigures.From(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3), null, 5, null, false).TokensPerSecond);

    [Fact]
    public void NoTokensNoSpeed()
    {
        var figures = AnswerFigures.From(null, TimeSpan.FromSeconds(3), null, 0, null, stopped: true);
        Assert.Null(figures.TokensPerSecond);
        Assert.Null(figures.TimeToFirstToken);
        Assert.True(figures.Stopped);
    }

    [Theory]
    [InlineData(new float[] { 1, 0 }, new float[] { 1, 0 }, 1.0)]
    [InlineData(new float[] { 1, 0 }, new float[] { 0, 2 }, 0.0)]
    [InlineData(new float[] { 1, 1 }, new float[] { -1, -1 }, -1.0)]
    [InlineData(new float[] { 0, 0 }, new float[] { 1, 1 }, 0.0)]
    public void CosineSimilarityOfKnownVectors(float[] a, float[] b, double expected) =>
        Assert.Equal(expected, CosineSimilarity.Of(a, b), precision: 6);
}
