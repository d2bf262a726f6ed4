using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using ModelSwap.Gateway.Tests.Functional;
using ModelSwap.Testing;

namespace ModelSwap.Gateway.Tests.Hosting;

/// <summary>
/// maxRequestBodySize counts a body's data bytes, whatever its framing: exactly the limit passes, sent
/// chunked or with a Content-Length, and one byte more gets 413 both ways. (Kestrel's own limit counts
/// chunk framing too, so a chunked body of exactly the limit used to get 413: see RequestLimits.)
/// </summary>
public sealed class BodyLimitEdgeTests
{
    private const int Limit = 1024 * 1024;
    private static readonly byte[] Head = "{\"model\":\"counted\",\"messages\":[{\"role\":\"user\",\"content\":\""u8.ToArray();
    private static readonly byte[] Tail = "\"}]}"u8.ToArray();

    private static Task<GatewayTestHost> StartAsync() => GatewayTestHost.StartAsync($"""
        maxRequestBodySize: {Limit}
        models:
          counted:
            cmd: {GatewayTestHost.FakeCmd("counted", "--count-body")}
        """);

    /// <summary>A chat of exactly <paramref name="length"/> bytes, made on the fly (not seekable, so HttpClient has no length of its own).</summary>
    private static GeneratedBody Body(long length) => new(Head, length - Head.Length - Tail.Length, Tail);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_body_of_exactly_the_limit_reaches_the_model_whole(bool chunked)
    {
        await using var host = await StartAsync();
        using var content = new StreamContent(Body(Limit));
        content.Headers.ContentType = new("application/json");
        content.Headers.ContentLength = chunked ? null : Limit;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = content };
        request.Headers.TransferEncodingChunked = chunked;
        using var response = await host.Client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
        Assert.Equal(Limit, JsonNode.Parse(text)!["fake"]!["bytes"]!.GetValue<long>());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task One_byte_over_the_limit_gets_413(bool chunked)
    {
        await using var host = await StartAsync();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, host.Client.BaseAddress!.Port);
        var stream = client.GetStream();
        // Read while sending: the gateway answers at the limit and may stop reading.
        var reading = RawHttp.ReadResponseHeadAsync(stream);
        try
        {
            var framing = chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + (Limit + 1).ToString(CultureInfo.InvariantCulture);
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{framing}\r\n\r\n"));
            using var body = Body(Limit + 1);
            var piece = new byte[64 * 1024];
            int n;
            while (!reading.IsCompleted && (n = body.Read(piece, 0, piece.Length)) > 0)
            {
                await (chunked ? RawHttp.WriteChunkAsync(stream, piece.AsMemory(0, n)) : stream.WriteAsync(piece.AsMemory(0, n)).AsTask());
            }
            if (chunked && !reading.IsCompleted)
            {
                await RawHttp.WriteLastChunkAsync(stream);
            }
        }
        catch (IOException)
        {
            // The gateway closed the connection after answering.
        }
        var answer = await reading;
        Assert.StartsWith("HTTP/1.1 413", answer, StringComparison.Ordinal);
        Assert.Contains("request_too_large", answer, StringComparison.Ordinal);
    }
}
