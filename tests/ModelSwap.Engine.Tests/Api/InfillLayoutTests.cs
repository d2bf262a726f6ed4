using ModelSwap.Engine.Api;

namespace ModelSwap.Engine.Tests.Api;

/// <summary>The token layout of a fill-in-the-middle prompt, with made-up ids (markers 900+, text below 100).</summary>
public sealed class InfillLayoutTests
{
    private const int Pre = 901, Suf = 902, Mid = 903, Bos = 1, Rep = 904, Sep = 905;

    [Fact]
    public void Prefix_then_the_prompt_then_suffix_then_middle_with_bos_first()
    {
        var layout = InfillLayout.Build(new InfillTokens(Pre, Suf, Mid, Bos), prefix: [10, 11], suffix: [20, 21], prompt: [30], extra: [],
            batch: 512, context: 1024, maxTokens: 16);

        Assert.Equal([Bos, Pre, 10, 11, 30, Suf, 20, 21, Mid], layout);
    }

    [Fact]
    public void Without_bos_the_prefix_marker_starts_the_prompt()
    {
        var layout = InfillLayout.Build(new InfillTokens(Pre, Suf, Mid), [10], [20], [], [], 512, 1024, 16);

        Assert.Equal([Pre, 10, Suf, 20, Mid], layout);
    }

    [Fact]
    public void Cuts_keep_the_text_nearest_the_cursor()
    {
        // batch 16: the prefix keeps its last 12 tokens, the suffix its first 16/4 - 2 = 2.
        var prefix = Enumerable.Range(0, 20).ToArray();
        var suffix = Enumerable.Range(50, 10).ToArray();

        var layout = InfillLayout.Build(new InfillTokens(Pre, Suf, Mid), prefix, suffix, [], [], batch: 16, context: 1024, maxTokens: 8);

        Assert.Equal([Pre, .. Enumerable.Range(8, 12), Suf, 50, 51, Mid], layout);
    }

    [Fact]
    public void Extra_context_goes_first_and_keeps_its_end_when_the_context_is_short()
    {
        var extra = Enumerable.Range(60, 30).ToArray();

        // Room for extra: context 64 - batch 32 - twice the reply (2 × 8) = 16 tokens.
        var layout = InfillLayout.Build(new InfillTokens(Pre, Suf, Mid, Bos), [10], [20], [], extra, batch: 32, context: 64, maxTokens: 8);

        Assert.Equal([.. Enumerable.Range(74, 16), Bos, Pre, 10, Suf, 20, Mid], layout);
    }

    [Fact]
    public void Repository_markers_give_the_repo_level_shape()
    {
        var tokens = new InfillTokens(Pre, Suf, Mid, Repository: Rep, FileSeparator: Sep);
        var words = new Dictionary<string, int> { ["myproject\n"] = 70, ["a.py\n"] = 71, ["x = 1"] = 72, ["filename\n"] = 73 };

        var extra = InfillLayout.Extra(tokens, [new InfillChunk("a.py", "x = 1")], text => [words[text]]);

        Assert.Equal([Rep, 70, Sep, 71, 72, Sep, 73], extra);
    }

    [Fact]
    public void Without_repository_markers_each_chunk_follows_a_snippet_line()
    {
        var words = new Dictionary<string, int> { ["\n\n--- snippet ---\n\n"] = 80, ["x = 1"] = 72, ["y = 2"] = 74 };

        var extra = InfillLayout.Extra(new InfillTokens(Pre, Suf, Mid), [new InfillChunk("a.py", "x = 1"), new InfillChunk("b.py", "y = 2")], text => [words[text]]);

        Assert.Equal([80, 72, 80, 74], extra);
    }
}
