using System.Globalization;
using System.Net;
using System.Text;
using ModelSwap.Testing;

namespace ModelSwap.Cli.Tests;

/// <summary>
/// Bounded input, measured on a real `modelswap serve` process: bodies at the limit are scanned and
/// spooled, not held (the gateway's peak memory stays far below what it was sent), and a chunked body
/// over the limit gets 413.
/// </summary>
public sealed class BodyLimitProcessTests
{
    private const long Limit = 48L * 1024 * 1024;

    [Fact]
    public async Task Eight_limit_size_bodies_keep_memory_flat_and_a_bigger_chunked_body_gets_413()
    {
        await using var serve = await ServeProcess.StartAsync($"""
            maxRequestBodySize: {Limit}
            models:
              model-a:
                cmd: {ServeProcess.FakeCmd("a")}
            """);
        // Warm up the paths the bodies take, then take the baseline.
        using (var warm = await serve.Client.PostAsync("/v1/chat/completions", new StreamContent(new JsonBodyStream(1024 * 1024, "nope"))))
        {
            Assert.Equal(HttpStatusCode.NotFound, warm.StatusCode);
        }
        var baseline = Status(serve.Process.Id, "VmRSS");

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            // No Content-Length: sent chunked, so only the gateway's own counting can stop it.
            using var content = new StreamContent(new JsonBodyStream(Limit - 4096, "nope"));
            content.Headers.ContentType = new("application/json");
            using var response = await serve.Client.PostAsync("/v1/chat/completions", content);
            return response.StatusCode;
        }));
        Assert.All(answers, status => Assert.Equal(HttpStatusCode.NotFound, status));
        var peak = Status(serve.Process.Id, "VmHWM");
        var sent = 8 * Limit;
        Assert.True(peak - baseline < sent / 4, $"peak RSS {peak >> 20} MiB from a baseline of {baseline >> 20} MiB after {sent >> 20} MiB of bodies");

        // Over the limit, chunked: the answer is read while the body is still being sent (the gateway
        // answers at the limit and stops reading; an HTTP client that only reads after sending would
        // see the closed connection instead).
        var status = await SendChunkedAndReadStatusAsync(serve.Client.BaseAddress!, new JsonBodyStream(Limit * 3, "model-a"));
        Assert.StartsWith("HTTP/1.1 413", status, StringComparison.Ordinal);
        Assert.True(Status(serve.Process.Id, "VmHWM") - baseline < sent / 4, "memory grew with the oversized body");
        using var running = await serve.Client.GetAsync("/running");
        Assert.DoesNotContain("model-a", await running.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<string> SendChunkedAndReadStatusAsync(Uri address, Stream body)
    {
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(address.Host, address.Port);
        var stream = client.GetStream();
        var reading = RawHttp.ReadResponseHeadAsync(stream);
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(
                $"POST /v1/chat/completions HTTP/1.1\r\nHost: {address.Host}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"));
            var chunk = new byte[64 * 1024];
            int n;
            while (!reading.IsCompleted && (n = body.Read(chunk, 0, chunk.Length)) > 0)
            {
                await RawHttp.WriteChunkAsync(stream, chunk.AsMemory(0, n));
            }
            await RawHttp.WriteLastChunkAsync(stream);
        }
        catch (IOException)
        {
            // The gateway closed the connection after answering.
        }
        return await reading;
    }

    /// <summary>A field of /proc/PID/status in bytes (VmRSS now, VmHWM the peak).</summary>
    private static long Status(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    /// <summary>
    /// A chat body of about <c>length</c> bytes made on the fly (a long conversation of 32 KB
    /// messages), its "model" last, so the gateway must read all of it to route it.
    /// </summary>
    private sealed class JsonBodyStream(long length, string model) : Stream
    {
        private static readonly byte[] Message = Encoding.UTF8.GetBytes("{\"role\":\"user\",\"content\":\"" + new string('x', 32 * 1024) + "\"},");
        private readonly byte[] _head = Encoding.UTF8.GetBytes("{\"messages\":[");
        private readonly byte[] _tail = Encoding.UTF8.GetBytes("{\"role\":\"user\",\"content\":\"end\"}],\"model\":\"" + model + "\"}");
        private long _position;

        private long Body => Math.Max(0, (length - _head.Length - _tail.Length) / Message.Length) * Message.Length;

        public override int Read(byte[] buffer, int offset, int count)
        {
            var written = 0;
            while (written < count)
            {
                var (source, at) = _position < _head.Length
                    ? (_head, _position)
                    : _position < _head.Length + Body
                        ? (Message, (_position - _head.Length) % Message.Length)
                        : (_tail, _position - _head.Length - Body);
                if (source == _tail && at >= _tail.Length)
                {
                    break;
                }
                var n = (int)Math.Min(count - written, source.Length - at);
                Array.Copy(source, at, buffer, offset + written, n);
                written += n;
                _position += n;
            }
            return written;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
