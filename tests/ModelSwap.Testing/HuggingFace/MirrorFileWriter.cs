using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace ModelSwap.Testing.HuggingFace;

/// <summary>Writes a file with Range support and the mirror's faults (drop, hold, corrupt, ignore Range).</summary>
internal static class MirrorFileWriter
{
    private const int Chunk = 64 * 1024;

    public static async Task ServeAsync(HttpContext context, HuggingFaceMirror mirror, MirrorRepo repo, MirrorFile file)
    {
        var response = context.Response;
        long start = 0;
        var end = file.Size - 1;
        var rangeHeader = context.Request.Headers.Range.FirstOrDefault();
        response.Headers.ETag = $"\"{file.Sha256}\"";
        response.Headers.AcceptRanges = "bytes";
        if (rangeHeader is not null && !mirror.IgnoreRange)
        {
            if (!RangeHeaderValue.TryParse(rangeHeader, out var range) || range.Ranges.Count != 1)
            {
                response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
                return;
            }
            var r = range.Ranges.First();
            start = r.From ?? Math.Max(0, file.Size - r.To!.Value);
            end = r.From is null ? file.Size - 1 : Math.Min(r.To ?? file.Size - 1, file.Size - 1);
            if (start >= file.Size || start > end)
            {
                response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
                response.Headers.ContentRange = $"bytes */{file.Size}";
                return;
            }
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = $"bytes {start}-{end}/{file.Size}";
        }
        var drop = mirror.TakeDrop(repo.Id, file.Path);
        if (drop is null || drop.Value.Abort)
        {
            response.ContentLength = end - start + 1;
        }
        response.ContentType = "application/octet-stream";

        var hold = mirror.TakeHold(repo.Id, file.Path);
        var corruptAt = mirror.IsCorrupt(repo.Id, file.Path) ? file.Size / 2 : -1;
        var ct = context.RequestAborted;
        var source = file.Open();
        await using (source.ConfigureAwait(false))
        {
            source.Seek(start, SeekOrigin.Begin);
            var buffer = new byte[Chunk];
            var position = start;
            while (position <= end)
            {
                var want = (int)Math.Min(Chunk, end - position + 1);
                // Stop chunks at fault offsets so the fault lands on the exact byte.
                foreach (var stop in new[] { drop?.Offset ?? -1, hold?.Offset ?? -1 })
                {
                    if (stop > position && stop < position + want)
                    {
                        want = (int)(stop - position);
                    }
                }
                if (hold is not null && position == hold.Offset)
                {
                    await response.Body.FlushAsync(ct).ConfigureAwait(false);
                    await hold.WaitAsync(ct).ConfigureAwait(false);
                    hold = null;
                }
                if (drop is { } dropAt && position >= dropAt.Offset)
                {
                    if (dropAt.Abort)
                    {
                        // A hard reset: the client may lose bytes still in flight, like a real network drop.
                        context.Abort();
                    }
                    // Otherwise the chunked body just ends here: the client sees exactly Offset bytes, then EOF.
                    return;
                }
                var read = await source.ReadAsync(buffer.AsMemory(0, want), ct).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }
                if (corruptAt >= position && corruptAt < position + read)
                {
                    buffer[corruptAt - position] ^= 0xFF;
                }
                await response.Body.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                position += read;
            }
        }
    }
}
