using ModelSwap.Engine.Hosting;
using ModelSwap.Engine.Inference;
using ModelSwap.Engine.Tests.Support;

namespace ModelSwap.Engine.Tests.Inference;

/// <summary>A streamed generation hands its text over piece by piece; a non-streamed one once, whole, at the end.</summary>
public sealed class StreamedTextTests(TinyModels models) : IClassFixture<TinyModels>
{
    private static async Task<List<string>> PiecesAsync(GenerationJob job)
    {
        var pieces = new List<string>();
        await foreach (var piece in job.Text.ReadAllAsync())
            pieces.Add(piece);
        await job.Result;
        return pieces;
    }

    [Fact]
    public async Task NonStreamedTextArrivesInOnePieceAndStreamedInMany()
    {
        await using var engine = await TestEngine.StartAsync(new EngineOptions { ModelPath = models.Chat, Parallel = 2, ContextSize = 256 });
        var model = engine.Host.State.Ready!.Model;
        var prompt = model.TokenizePrompt("Once upon a time");
        var greedy = new SamplingSettings { Temperature = 0, Seed = 1 };
        GenerationRequest Request(string id) => new(id, prompt, 24, greedy, []);

        var streamed = await PiecesAsync(engine.Loop.Submit(Request("streamed"), CancellationToken.None));
        var whole = await PiecesAsync(engine.Loop.Submit(Request("whole") with { Streamed = false }, CancellationToken.None));

        Assert.True(streamed.Count > 1, $"a stream of 24 tokens came in {streamed.Count} piece(s)");
        var single = Assert.Single(whole);
        // Same greedy generation: the one piece is exactly the stream's text.
        Assert.Equal(string.Concat(streamed), single);
    }
}
