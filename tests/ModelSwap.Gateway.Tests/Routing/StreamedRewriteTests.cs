using System.Collections.Immutable;
using System.Text;
using System.Text.Json.Nodes;
using ModelSwap.Core.Configuration;
using ModelSwap.Gateway.Routing;
using ModelSwap.Testing;

namespace ModelSwap.Gateway.Tests.Routing;

/// <summary>
/// The streamed rewrite (useModelName, stripParams, setParams) agrees with the whole-body rewrite it
/// replaced on generated JSON of many shapes, read in random pieces; refuses the same broken bodies
/// with a 400; and holds a chunk, not the body, whatever the body's size.
/// </summary>
[Collection(nameof(AllocationMeasuringTests))]
public sealed class StreamedRewriteTests
{
    // Far below the 90 MiB a rewrite or scan that held the string would allocate, and above the
    // ~12 MiB these take alone. GetTotalAllocatedBytes counts the whole process, so these tests run in
    // a collection that never runs beside another (25 MiB was seen once when they did, under stress-ng).
    private const long AllocationBound = 24L * 1024 * 1024;

    public static TheoryData<string> Configs => ["rename", "strip", "set", "all"];

    [Theory]
    [MemberData(nameof(Configs))]
    public async Task Generated_bodies_are_rewritten_as_the_whole_body_rewrite_did(string config)
    {
        var model = Model(config);
        for (var seed = 0; seed < 300; seed++)
        {
            var body = Encoding.UTF8.GetBytes(new RandomJson(seed).Object(allowLongStrings: seed % 10 == 0));
            var expected = JsonNode.Parse(JsonNodeRewrite.Rewrite(body, model));
            var streamed = await RewriteStreamedAsync(body, model, seed);
            var text = Encoding.UTF8.GetString(streamed);
            Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(streamed)), $"seed {seed}: {text[..Math.Min(400, text.Length)]}");
            Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(RequestBodyRewriter.Rewrite(body, model))), $"seed {seed} (in memory)");
        }
    }

    [Theory]
    [InlineData("{\"model\":\"a\",\"x\":\"\\ud800\"}")]
    [InlineData("{\"model\":\"a\",\"x\":\"\\udc00 lone low\"}")]
    [InlineData("{\"model\":\"a\",\"x\":\"\\ud800\\u0041\"}")]
    [InlineData("{\"model\":\"a\",\"\\ud800\":1}")]
    [InlineData("{\"model\":\"a\",\"x\":\"\\q\"}")]
    [InlineData("{\"model\":\"a\",\"x\":\"tab\there\"}")]
    [InlineData("{\"model\":\"a\",\"x\":[1,2}")]
    [InlineData("{\"model\":\"a\",\"x\":1")]
    [InlineData("{\"model\":\"a\",\"x\":01}")]
    [InlineData("{\"model\":\"a\"} trailing")]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    public async Task A_broken_body_is_refused_with_a_400_by_both(string text)
    {
        var model = Model("all");
        foreach (var body in new[] { Encoding.UTF8.GetBytes(text), Encoding.UTF8.GetBytes(Lengthen(text)) })
        {
            var old = Assert.Throws<BadRequestException>(() => JsonNodeRewrite.Rewrite(body, model));
            var streamed = await Assert.ThrowsAsync<BadRequestException>(() => RewriteStreamedAsync(body, model, seed: 1));
            Assert.StartsWith("request body ", old.Message, StringComparison.Ordinal);
            Assert.StartsWith("request body ", streamed.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(0xFF, false)]
    [InlineData(0xC3, false)]
    [InlineData(0xFF, true)]
    [InlineData(0xED, false)]
    public async Task Invalid_utf8_in_a_name_or_a_value_is_refused_with_a_400(byte bad, bool inName)
    {
        var model = Model("all");
        var head = Encoding.UTF8.GetBytes(inName ? "{\"model\":\"a\",\"k" : "{\"model\":\"a\",\"k\":\"v");
        var tail = Encoding.UTF8.GetBytes(inName ? "\":1}" : "\"}");
        byte[] body = [.. head, bad, 0xA0, 0x80, 0x20, .. tail];
        var streamed = await Assert.ThrowsAsync<BadRequestException>(() => RewriteStreamedAsync(body, model, seed: 2));
        Assert.StartsWith("request body is not valid JSON", streamed.Message, StringComparison.Ordinal);
        byte[] longBody = [.. head, .. Encoding.UTF8.GetBytes(new string('x', 100_000)), bad, 0xA0, 0x80, 0x20, .. tail];
        await Assert.ThrowsAsync<BadRequestException>(() => RewriteStreamedAsync(longBody, model, seed: 3));
    }

    [Fact]
    public async Task A_rewritten_key_sent_twice_is_written_once_and_other_keys_pass_as_sent()
    {
        var body = "{\"model\":\"a\",\"top_k\":1,\"temperature\":0.1,\"x\":1,\"model\":\"b\",\"top_k\":2,\"temperature\":0.2,\"x\":2}"u8.ToArray();
        var text = Encoding.UTF8.GetString(await RewriteStreamedAsync(body, Model("all"), seed: 4));
        Assert.Equal("{\"model\":\"upstream\",\"top_k\":7,\"x\":1,\"x\":2,\"stop\":[\"a\",\"b\"],\"caf\u00e9\":{\"n\":null}}", text);
    }

    [Fact]
    public async Task A_90_MB_string_is_rewritten_without_holding_it()
    {
        const int length = 90 * 1024 * 1024;
        var model = Model("all");
        await using var body = new GeneratedBody("{\"temperature\":0.5,\"messages\":\""u8.ToArray(), length, "\",\"model\":\"a\"}"u8.ToArray());
        var before = GC.GetTotalAllocatedBytes(precise: true);
        await using var rewritten = await RequestBodyRewriter.RewriteAsync(body, model, CancellationToken.None);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.True(allocated < AllocationBound, $"the rewrite allocated {allocated >> 20} MiB for a {length >> 20} MiB body");
        Assert.Equal(length + 100, rewritten.Length, tolerance: 100);
        var head = new byte[32];
        await rewritten.ReadExactlyAsync(head);
        Assert.Equal("{\"messages\":\"xxxxxxxxxxxxxxxxxxx", Encoding.UTF8.GetString(head));
        rewritten.Seek(-120, SeekOrigin.End);
        var tail = Encoding.UTF8.GetString(await ReadToEndAsync(rewritten));
        Assert.EndsWith("xxx\",\"model\":\"upstream\",\"top_k\":7,\"stop\":[\"a\",\"b\"],\"caf\u00e9\":{\"n\":null}}", tail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Long_strings_after_a_comma_are_passed_in_pieces_too()
    {
        // The reader leaves the comma before a member or an element unread: a long key or a second long
        // element starts behind it (each over the 1 MiB a held token may reach).
        var text = new string('y', 1_200_000);
        var body = Encoding.UTF8.GetBytes($$"""{"model":"a","input":["{{text}}" , "{{text}}"],"{{text}}":1,"temperature":0.5}""");
        var model = Model("all");
        var expected = JsonNode.Parse(JsonNodeRewrite.Rewrite(body, model));
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(await RewriteStreamedAsync(body, model, seed: 4))));
        var scanner = new TopLevelModelScanner();
        await JsonStreamPump.RunAsync(new ChunkedStream(body, 5, 100_000), scanner, drain: null, CancellationToken.None);
        Assert.Equal("a", scanner.Model);
    }

    [Fact]
    public async Task The_model_scan_reads_a_90_MB_string_without_holding_it()
    {
        const int length = 90 * 1024 * 1024;
        await using var body = new GeneratedBody("{\"messages\":[{\"content\":\""u8.ToArray(), length, "\"}],\"model\":\"wanted\"}"u8.ToArray());
        var scanner = new TopLevelModelScanner();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        await JsonStreamPump.RunAsync(body, scanner, drain: null, CancellationToken.None);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.Equal("wanted", scanner.Model);
        Assert.True(allocated < AllocationBound, $"the scan allocated {allocated >> 20} MiB for a {length >> 20} MiB body");
    }

    private static async Task<byte[]> RewriteStreamedAsync(byte[] body, ModelConfig model, int seed)
    {
        // Tiny pieces for small bodies (every boundary gets cut), bigger ones for the long strings.
        await using var input = new ChunkedStream(body, seed, maxPiece: body.Length < 10_000 ? 1 + seed % 3 * 50 : 4096 + seed % 3 * 30_000);
        await using var output = await RequestBodyRewriter.RewriteAsync(input, model, CancellationToken.None);
        return await ReadToEndAsync(output);
    }

    private static async Task<byte[]> ReadToEndAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>The same broken body with a long string in front, so the fault is met after a streamed piece.</summary>
    private static string Lengthen(string text) =>
        text.StartsWith("{\"model\":\"a\",", StringComparison.Ordinal) ? "{\"long\":\"" + new string('y', 200_000) + "\"," + text[1..] : text;

    private static ModelConfig Model(string config) => new()
    {
        Id = "m",
        Command = ["x"],
        Proxy = new Uri("http://127.0.0.1:1"),
        UseModelName = config is "rename" or "all" ? "upstream" : null,
        Filters = new ModelFilters
        {
            StripParams = config is "strip" or "all" ? ImmutableArray.Create("temperature", "model", "caf\u00e9") : [],
            SetParams = config is "set" or "all"
                ? new JsonObject { ["top_k"] = 7, ["stop"] = new JsonArray("a", "b"), ["model"] = "ignored", ["caf\u00e9"] = new JsonObject { ["n"] = null } }
                : null,
        },
    };
}
