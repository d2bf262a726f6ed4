using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using ModelSwap.Gateway.Hosting;
using ModelSwap.Gateway.Processes;

namespace ModelSwap.Gateway.Api;

/// <summary>
/// /logs and /logs/stream*: lines written one at a time from the ring (never one reply-sized string),
/// each cut at <see cref="MaxLineChars"/>, a reply at most <see cref="MaxReplyBytes"/> (the newest
/// lines win), secrets redacted. <c>?lines=N</c> takes the newest N; <c>?since=CURSOR</c> only lines
/// after the cursor an earlier reply gave in its <c>X-Logs-Next</c> header.
/// </summary>
internal static class LogEndpoints
{
    public const int MaxLineChars = 4096;
    public const int MaxReplyBytes = 1024 * 1024;
    public const string CursorHeader = "X-Logs-Next";

    public static async Task WriteRecentAsync(HttpContext context, LogRing ring, GatewaySecurity security)
    {
        var query = context.Request.Query;
        var lines = int.TryParse(query["lines"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : int.MaxValue;
        var since = long.TryParse(query["since"], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 0;
        var (snapshot, last) = ring.SnapshotSince(since, lines);
        var redactor = security.Redactor;
        // Newest lines first until the reply cap, then written oldest first.
        var first = snapshot.Length;
        var bytes = 0;
        var prepared = new string[snapshot.Length];
        while (first > 0)
        {
            var line = Prepare(snapshot[first - 1], redactor);
            var size = Encoding.UTF8.GetByteCount(line) + 1;
            if (bytes + size > MaxReplyBytes)
            {
                break;
            }
            bytes += size;
            prepared[--first] = line;
        }
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers[CursorHeader] = last.ToString(CultureInfo.InvariantCulture);
        for (var i = first; i < prepared.Length; i++)
        {
            await context.Response.WriteAsync(prepared[i], context.RequestAborted).ConfigureAwait(false);
            await context.Response.WriteAsync("\n", context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>Live log lines as plain text (one per line), flushed per line; ends when the client leaves.</summary>
    public static async Task StreamAsync(HttpContext context, LogRing ring, GatewaySecurity security)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        await context.Response.StartAsync(context.RequestAborted).ConfigureAwait(false);
        try
        {
            await foreach (var line in ring.FollowAsync(context.RequestAborted).ConfigureAwait(false))
            {
                await context.Response.WriteAsync(Prepare(line, security.Redactor) + "\n", context.RequestAborted).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
    }

    private static string Prepare(string line, Core.Configuration.SecretRedactor redactor)
    {
        var text = redactor.Redact(line);
        return text.Length <= MaxLineChars ? text : string.Concat(text.AsSpan(0, MaxLineChars), "…");
    }
}
