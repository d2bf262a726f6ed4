using System.Text;
using ModelSwap.Gateway.Routing;

namespace ModelSwap.Gateway.Tests.Routing;

/// <summary>
/// The model scan also tells whether a request streams (for sendLoadingState), in the same streamed
/// pass: only the top-level "stream" counts, only the literal true is true, the last of duplicate keys
/// wins, and long strings before or in it change nothing — whatever pieces the body arrives in.
/// </summary>
public sealed class StreamFlagScanTests
{
    private static readonly string Long = new('x', 200_000);

    public static TheoryData<string, bool> Bodies => new()
    {
        { """{"model":"m","stream":true}""", true },
        { """{"stream":true,"model":"m"}""", true },
        { """{"model":"m","stream":false}""", false },
        { """{"model":"m"}""", false },
        { """{"model":"m","stream":"true"}""", false },
        { """{"model":"m","stream":null}""", false },
        { """{"model":"m","stream":1}""", false },
        { """{"model":"m","stream":{"x":true}}""", false },
        { """{"model":"m","stream":[true]}""", false },
        // A "stream" key in a sub-object is not the request's.
        { """{"model":"m","messages":[{"role":"user","stream":true}]}""", false },
        { """{"model":"m","options":{"stream":true}}""", false },
        { """{"model":"m","options":{"stream":true},"stream":false}""", false },
        { """{"model":"m","stream":true,"options":{"stream":false},"tools":[{"stream":false}]}""", true },
        { """{"model":"m","response_format":{"schema":{"properties":{"stream":{"type":"boolean"}}}},"stream":true}""", true },
        // Duplicate keys: the last one, as for "model".
        { """{"model":"m","stream":true,"stream":false}""", false },
        { """{"model":"m","stream":false,"stream":true}""", true },
        // Whitespace and comments around it (the reader takes none between a name and its colon).
        { "{\n  \"model\": \"m\", // chat\n  \"stream\": /* yes */ true\n}", true },
        // Long strings before it, in a sub-object, as its value, as a key.
        { $$"""{"messages":[{"content":"{{Long}}","stream":true}],"model":"m"}""", false },
        { $$"""{"messages":"{{Long}}","stream":true,"model":"m"}""", true },
        { $$"""{"model":"m","stream":"{{Long}}"}""", false },
        { $$"""{"model":"m","stream":true,"{{Long}}":"stream"}""", true },
        { $$"""{"model":"m","{{Long}}":true}""", false },
        { $$"""{"model":"m","input":["a", "{{Long}}" , /* c */ "{{Long}}"],"stream":true}""", true },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Only_a_top_level_true_streams(string json, bool streams)
    {
        var body = Encoding.UTF8.GetBytes(json);
        foreach (var (seed, maxPiece) in new[] { (1, 1), (2, 7), (3, 4096), (4, 100_000), (5, body.Length) })
        {
            var scanner = new TopLevelModelScanner();
            await JsonStreamPump.RunAsync(new ChunkedStream(body, seed, maxPiece), scanner, drain: null, CancellationToken.None);
            Assert.True(streams == scanner.Streams, $"pieces up to {maxPiece}: {json[..Math.Min(120, json.Length)]}");
            Assert.Equal("m", scanner.Model);
        }
        Assert.Equal(streams, TopLevelModelScanner.Scan(body).Streams);
    }
}
