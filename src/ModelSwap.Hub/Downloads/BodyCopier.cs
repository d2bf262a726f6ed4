using System.Buffers;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Threading.Channels;

namespace ModelSwap.Hub.Downloads;

/// <summary>
/// Copies a response body to the .part file while hashing it, as a small pipeline: one loop reads the
/// network into 1 MiB buffers while another writes the previous buffer and hashes it at the same time.
/// Hashing in line with reading cost ~40% of loopback throughput; overlapped, it hides behind the I/O.
/// Bytes that arrived before an error are still written and hashed, so a resume starts right after them.
/// </summary>
internal static class BodyCopier
{
    private const int BufferSize = 1 << 20;
    private const int MinimumFill = 256 * 1024;
    private const int BuffersInFlight = 3;

    /// <returns>Null at a clean end; otherwise the transport error (or stall) that cut the body short.</returns>
    public static async Task<Exception?> CopyAsync(
        Stream body, FileStream file, IncrementalHash hash, long? expectedSize, TimeSpan stallTimeout,
        Action<int> advanced, Func<long, Exception> tooLong, CancellationToken ct)
    {
        var chunks = Channel.CreateBounded<(byte[] Buffer, int Count)>(
            new BoundedChannelOptions(BuffersInFlight) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var consumer = WriteAndHashAsync(chunks.Reader, file, hash, expectedSize, advanced, tooLong, stop);
        Exception? failure = null;
        Exception? readerError = null;
        try
        {
            using var stall = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
            var ended = false;
            while (!ended)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
                var filled = 0;
                try
                {
                    while (filled < MinimumFill)
                    {
                        stall.CancelAfter(stallTimeout);
                        var n = await body.ReadAsync(buffer.AsMemory(filled, BufferSize - filled), stall.Token).ConfigureAwait(false);
                        if (n == 0)
                        {
                            ended = true;
                            break;
                        }
                        filled += n;
                    }
                }
                catch (Exception e) when (!stop.IsCancellationRequested && e is IOException or HttpRequestException or OperationCanceledException)
                {
                    failure = e is OperationCanceledException ? new TimeoutException($"no data for {stallTimeout}") : e;
                    ended = true;
                }
                if (filled > 0)
                {
                    await chunks.Writer.WriteAsync((buffer, filled), stop.Token).ConfigureAwait(false);
                }
                else
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            // The writer failed and stopped us; its exception is the one to report.
        }
        catch (Exception e)
        {
            readerError = e;
        }
        finally
        {
            chunks.Writer.TryComplete();
        }
        // Always wait for the writer: the caller disposes the file right after we return.
        long written;
        try
        {
            written = await consumer.ConfigureAwait(false);
        }
        catch when (readerError is not null)
        {
            ExceptionDispatchInfo.Throw(readerError);
            throw;
        }
        if (readerError is not null)
        {
            ExceptionDispatchInfo.Throw(readerError);
        }
        if (failure is not null)
        {
            return failure;
        }
        return expectedSize is { } size && written < size
            ? new IOException($"the connection ended after {written} of {size} bytes")
            : null;
    }

    private static async Task<long> WriteAndHashAsync(
        ChannelReader<(byte[] Buffer, int Count)> chunks, FileStream file, IncrementalHash hash, long? expectedSize,
        Action<int> advanced, Func<long, Exception> tooLong, CancellationTokenSource stop)
    {
        var written = file.Position;
        var writeback = new WritebackHint(file);
        try
        {
            await foreach (var (buffer, count) in chunks.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                try
                {
                    if (expectedSize is { } limit && written + count > limit)
                    {
                        throw tooLong(limit);
                    }
                    // The write runs on the thread pool while this thread hashes the same bytes.
                    var write = file.WriteAsync(buffer.AsMemory(0, count), stop.Token);
                    hash.AppendData(buffer, 0, count);
                    await write.ConfigureAwait(false);
                    written += count;
                    writeback.Written(written);
                    advanced(count);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
            return written;
        }
        catch
        {
            await stop.CancelAsync().ConfigureAwait(false);
            // Drain so pooled buffers go back and the reader never blocks on a full channel.
            while (chunks.TryRead(out var left))
            {
                ArrayPool<byte>.Shared.Return(left.Buffer);
            }
            throw;
        }
    }
}
