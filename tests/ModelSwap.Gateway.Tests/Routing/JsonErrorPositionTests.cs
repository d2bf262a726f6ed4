using System.Globalization;
using System.Text;
using System.Text.Json;
using ModelSwap.Core.Configuration;
using ModelSwap.Gateway.Routing;

namespace ModelSwap.Gateway.Tests.Routing;

/// <summary>
/// A malformed body's 400 names where it broke in the body as sent — line, column and byte — the same
/// place a reader given the whole body reports, even after long strings the streamed reader only saw
/// in pieces (and as a two-byte stand-in), over lines, comments and any cut of the body into pieces.
/// </summary>
public sealed class JsonErrorPositionTests
{
    private const int MiB = 1024 * 1024;
    private static readonly string Long = new('x', MiB);

    public static TheoryData<string, string> Bodies => new()
    {
        { "missing comma after a long string", $$"""{"messages":"{{Long}}","model":"m" "stream":true}""" },
        { "on a later line", $"{{\"messages\":\"{Long}\",\n  \"model\": \"m\",\n  \"x\": tru}}" },
        { "after two long strings on a line", $$"""{"a":"{{Long}}", "b":"{{Long}}" : 1,"model":"m"}""" },
        { "after a long key", $$"""{"model":"m","{{Long}}" 1}""" },
        { "after long array elements", $$"""{"model":"m","input":["a","{{Long}}", "{{Long}}" 1]}""" },
        { "lines and comments before a long string", $"{{\n  // c\n  /* multi\nline */ \"messages\":\n   \"{Long}\"\n  ,\"model\": 01}}" },
        { "a bad escape inside a long string", $$"""{"model":"m","messages":"{{Long[..700_000]}}\q{{Long}}"}""" },
        { "a tab inside a long string", $"{{\"model\":\"m\",\n\"messages\":\"{Long}\t{Long}\"}}" },
        { "a long string left open", $$"""{"model":"m","messages":"{{Long}}""" },
        { "a trailing comma", $$"""{"model":"m","messages":"{{Long}}",}""" },
        { "garbage after the object", $$"""{"model":"m","messages":"{{Long}}"} x""" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task The_400_names_the_place_a_whole_body_reader_finds(string name, string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var expected = "request body is not valid JSON at " + WholeBodyPosition(body);
        foreach (var (seed, maxPiece) in new[] { (1, 1000), (2, 70_000), (3, 300_000), (4, body.Length) })
        {
            var scan = await Assert.ThrowsAsync<BadRequestException>(() =>
                JsonStreamPump.RunAsync(new ChunkedStream(body, seed, maxPiece), new TopLevelModelScanner(), drain: null, CancellationToken.None));
            Assert.True(scan.Message.StartsWith(expected + ": ", StringComparison.Ordinal), $"{name}, pieces up to {maxPiece}: {scan.Message} (expected {expected})");
            var rewrite = await Assert.ThrowsAsync<BadRequestException>(() =>
                RequestBodyRewriter.RewriteAsync(new ChunkedStream(body, seed, maxPiece), Model(), CancellationToken.None));
            Assert.True(rewrite.Message.StartsWith(expected + ": ", StringComparison.Ordinal), $"{name} (rewrite): {rewrite.Message} (expected {expected})");
        }
    }

    [Fact]
    public async Task An_error_after_a_1_MB_string_is_placed_at_its_byte()
    {
        var body = Encoding.UTF8.GetBytes($$"""{"messages":"{{Long}}","model":"m" "stream":true}""");
        var at = Array.IndexOf(body, (byte)'"', "{\"messages\":\"".Length + MiB + "\",\"model\":\"m\" ".Length - 1);
        var error = await Assert.ThrowsAsync<BadRequestException>(() =>
            JsonStreamPump.RunAsync(new ChunkedStream(body, 7, 64 * 1024), new TopLevelModelScanner(), drain: null, CancellationToken.None));
        Assert.Equal(1_048_603, at);
        Assert.StartsWith($"request body is not valid JSON at line 1, column {at + 1} (byte {at}): ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_that_does_not_decode_is_placed_at_its_string()
    {
        byte[] body = [.. "{\"model\":\"m\",\n \"messages\":\"ok\",\"k\":\"v"u8, 0xFF, 0xA0, .. "\"}"u8];
        var error = await Assert.ThrowsAsync<BadRequestException>(() =>
            RequestBodyRewriter.RewriteAsync(new ChunkedStream(body, 3, 5), Model(), CancellationToken.None));
        var at = Array.LastIndexOf(body, (byte)':') + 1;
        Assert.StartsWith($"request body is not valid JSON at line 2, column {at - 14 + 1} (byte {at}): ", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Where a reader given the whole body at once fails, as "line L, column C (byte B)".</summary>
    private static string WholeBodyPosition(byte[] body)
    {
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            while (reader.Read())
            {
            }
        }
        catch (JsonException ex)
        {
            var line = ex.LineNumber!.Value;
            var column = ex.BytePositionInLine!.Value;
            var lineStart = 0;
            for (var i = 0; i < line; i++)
            {
                lineStart = Array.IndexOf(body, (byte)'\n', lineStart) + 1;
            }
            return string.Create(CultureInfo.InvariantCulture, $"line {line + 1}, column {column + 1} (byte {lineStart + column})");
        }
        throw new InvalidOperationException("the body is valid JSON");
    }

    private static ModelConfig Model() => new() { Id = "m", Command = ["x"], Proxy = new Uri("http://127.0.0.1:1"), UseModelName = "upstream" };
}
