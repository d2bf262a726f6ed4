using System.Net;
using System.Net.Sockets;
using System.Text;
using ModelSwap.Gateway.Tests.Functional;
using ModelSwap.Testing;

namespace ModelSwap.Gateway.Tests.Hosting;

/// <summary>
/// Issue 9's limits that the other tests leave out: a multipart upload over maxRequestBodySize gets
/// 413 while it is still being sent, and a client that never finishes its headers gets 408.
/// </summary>
public sealed class InputLimitTests
{
    private static Task<GatewayTestHost> StartAsync() => GatewayTestHost.StartAsync($"""
        maxRequestBodySize: 1MiB
        models:
          model-a:
            cmd: {GatewayTestHost.FakeCmd("a")}
        """);

    [Fact]
    public async Task A_chunked_multipart_upload_over_the_limit_gets_413_and_starts_nothing()
    {
        await using var host = await StartAsync();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, host.Client.BaseAddress!.Port);
        var stream = client.GetStream();
        var reading = RawHttp.ReadResponseHeadAsync(stream);
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes("POST /v1/audio/transcriptions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: multipart/form-data; boundary=xyz\r\nTransfer-Encoding: chunked\r\n\r\n"));
            await RawHttp.WriteChunkAsync(stream, Encoding.ASCII.GetBytes("--xyz\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\nmodel-a\r\n"
                + "--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\nContent-Type: audio/wav\r\n\r\n"));
            var piece = Encoding.ASCII.GetBytes(new string('a', 64 * 1024));
            // Up to 4 MiB, stopping as soon as the answer came (the gateway stops reading at the limit).
            for (var sent = 0; sent < 64 && !reading.IsCompleted; sent++)
            {
                await RawHttp.WriteChunkAsync(stream, piece);
            }
        }
        catch (IOException)
        {
            // The gateway closed the connection after answering.
        }
        var answer = await reading;
        Assert.StartsWith("HTTP/1.1 413", answer, StringComparison.Ordinal);
        Assert.Empty(await host.RunningAsync());
    }

    [Fact]
    public async Task Headers_that_never_end_get_408()
    {
        await using var host = await StartAsync();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, host.Client.BaseAddress!.Port);
        var stream = client.GetStream();
        // Half a request head, then silence: Kestrel's header timeout (30 s) answers, not a hung connection.
        await stream.WriteAsync(Encoding.ASCII.GetBytes("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty"));
        var answer = await RawHttp.ReadResponseHeadAsync(stream);
        Assert.StartsWith("HTTP/1.1 408", answer, StringComparison.Ordinal);
    }
}
