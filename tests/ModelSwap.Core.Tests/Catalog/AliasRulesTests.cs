using ModelSwap.Core.Catalog;

namespace ModelSwap.Core.Tests.Catalog;

public sealed class AliasRulesTests
{
    private static readonly DateTimeOffset Day = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static AliasCandidate Chat(string name, double billions, int day, bool instruct = true) =>
        new(name, (long)(billions * 1e9), IsEmbedding: false, IsInstruct: instruct, Day.AddDays(day));

    private static AliasCandidate Embedder(string name, int day) => new(name, 137_000_000, IsEmbedding: true, IsInstruct: false, Day.AddDays(day));

    private static string Owner(IReadOnlyDictionary<string, IReadOnlyList<string>> aliases, string alias) =>
        Assert.Single(aliases, p => p.Value.Contains(alias)).Key;

    [Fact]
    public void EachAliasGoesToExactlyOneQualifyingModel()
    {
        var aliases = AliasRules.Assign(
        [
            Chat("llama3.2:1b-instruct", 1.24, day: 1),
            Chat("qwen2.5:7b-instruct", 7.6, day: 2),
            Chat("llama3.2:3b-instruct", 3.2, day: 3),
            Embedder("nomic-embed-text:v1.5", day: 1),
            new AliasCandidate("bge-reranker:v2-m3", 568_000_000, IsEmbedding: true, IsInstruct: false, Day.AddDays(4), IsReranker: true),
        ]);

        Assert.Equal(5, aliases.Count);
        foreach (var alias in AliasRules.AutomaticAliases)
        {
            Assert.Single(aliases.Values, list => list.Contains(alias));
        }
        Assert.Equal(["gpt-3.5-turbo"], aliases["llama3.2:1b-instruct"]);
        Assert.Equal(["gpt-4"], aliases["qwen2.5:7b-instruct"]);
        Assert.Equal(["text-davinci-003"], aliases["llama3.2:3b-instruct"]); // most recent instruct model
        Assert.Equal(["text-embedding-ada-002", "text-embedding-3-small"], aliases["nomic-embed-text:v1.5"]); // not the newer reranker
        Assert.Equal(["rerank-v3.5", "rerank-english-v3.0"], aliases["bge-reranker:v2-m3"]);
    }

    [Fact]
    public void MostRecentlyAddedWinsAndTiesGoByName()
    {
        var aliases = AliasRules.Assign(
        [
            Chat("b:1b", 1, day: 5),
            Chat("a:1b", 1, day: 5),
            Chat("c:1b", 1, day: 4),
            Embedder("old-embed:v1", day: 1),
            Embedder("new-embed:v2", day: 9),
        ]);
        Assert.Equal("a:1b", Owner(aliases, "gpt-3.5-turbo"));
        Assert.Equal("a:1b", Owner(aliases, "text-davinci-003"));
        Assert.Equal("new-embed:v2", Owner(aliases, "text-embedding-ada-002"));
        Assert.Empty(aliases["old-embed:v1"]);
    }

    [Fact]
    public void TheAnswerDoesNotDependOnInputOrder()
    {
        AliasCandidate[] models = [Chat("x:8b", 8, 1), Chat("y:8b", 8, 1), Chat("z:0.5b", 0.5, 2), Embedder("e:v1", 3), Embedder("f:v1", 3)];
        var expected = AliasRules.Assign(models);
        var reversed = AliasRules.Assign(models.Reverse());
        Assert.Equal(expected.OrderBy(p => p.Key), reversed.OrderBy(p => p.Key));
        Assert.Equal("x:8b", Owner(expected, "gpt-4"));
        Assert.Equal("e:v1", Owner(expected, "text-embedding-3-small"));
    }

    [Fact]
    public void UserAliasesWinAndLeaveTheAutomaticPool()
    {
        var user = new Dictionary<string, IReadOnlyList<string>>
        {
            ["old:8b"] = ["gpt-4", "my-favourite"],
            ["embed:v1"] = ["text-embedding-3-small"],
        };
        var aliases = AliasRules.Assign([Chat("old:8b", 8, day: 1), Chat("new:70b", 70, day: 9), Embedder("embed:v1", 1), Embedder("embed:v2", 2)], user);

        Assert.Equal(["gpt-4", "my-favourite"], aliases["old:8b"]);
        Assert.DoesNotContain("gpt-4", aliases["new:70b"]); // taken by the user, not reassigned
        Assert.Contains("text-davinci-003", aliases["new:70b"]);
        Assert.Equal(["text-embedding-3-small"], aliases["embed:v1"]);
        Assert.Equal(["text-embedding-ada-002"], aliases["embed:v2"]); // the other embedding alias still follows the rule
    }

    [Fact]
    public void SizesAreComparedAfterRoundingToATenthOfABillion()
    {
        Assert.True(AliasRules.Qualifies(Chat("qwen2.5:1.5b", 1.543, 0), AliasRules.SmallChat));
        Assert.False(AliasRules.Qualifies(Chat("x:1.6b", 1.56, 0), AliasRules.SmallChat));
        Assert.False(AliasRules.Qualifies(Chat("gemma3:4b", 3.88, 0), AliasRules.LargeChat));
        Assert.True(AliasRules.Qualifies(Chat("qwen3:4b", 4.02, 0), AliasRules.LargeChat));
        Assert.False(AliasRules.Qualifies(Chat("llama3.2:3b", 3.21, 0), AliasRules.SmallChat));
        Assert.False(AliasRules.Qualifies(new AliasCandidate("unknown", null, false, true, Day), AliasRules.SmallChat));
        Assert.True(AliasRules.Qualifies(new AliasCandidate("unknown", null, false, true, Day), AliasRules.Instruct));
    }

    [Fact]
    public void BaseModelsEmbeddersAndModelNamesNeverGetChatAliases()
    {
        var aliases = AliasRules.Assign(
        [
            Chat("base:1b", 1, day: 9, instruct: false),
            new AliasCandidate("embed-instruct:v1", 100_000_000, IsEmbedding: true, IsInstruct: true, Day),
            Chat("gpt-4", 8, day: 1), // a model literally named gpt-4 keeps that name to itself
            Chat("big:70b", 70, day: 2),
        ]);
        Assert.Empty(aliases["base:1b"]);
        Assert.Equal(["text-embedding-ada-002", "text-embedding-3-small"], aliases["embed-instruct:v1"]);
        Assert.DoesNotContain("gpt-4", aliases["big:70b"]);
        Assert.DoesNotContain(aliases.Values, a => a.Contains("gpt-3.5-turbo"));
    }
}
