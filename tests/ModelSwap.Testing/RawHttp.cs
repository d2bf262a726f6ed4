using System.Globalization;
using System.Text;

namespace ModelSwap.Testing;

/// <summary>
/// HTTP/1.1 written by hand on a socket, for what HttpClient cannot do: read the answer while the body
/// is still being sent (the gateway answers 413 at the limit and stops reading, so a client that reads
/// only after sending sees a reset instead), send half a head, or frame every chunk itself.
/// </summary>
public static class RawHttp
{
    private static readonly byte[] EndOfHead = "\r\n\r\n"u8.ToArray();

    /// <summary>
    /// Reads a response head: up to the blank line that ends it (plus whatever of the body came in the
    /// same read), or all that arrived before the server closed or reset the connection (then possibly
    /// nothing). Start it before writing the request body, and assert on the status line with StartsWith.
    /// </summary>
    public static async Task<string> ReadResponseHeadAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        using var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                received.Write(buffer, 0, read);
                if (received.GetBuffer().AsSpan(0, (int)received.Length).IndexOf(EndOfHead) >= 0)
                {
                    break;
                }
            }
        }
        catch (IOException)
        {
            // The server may reset the connection right after answering; what came before it counts.
        }
        return Encoding.ASCII.GetString(received.GetBuffer(), 0, (int)received.Length);
    }

    /// <summary>Writes one chunk of a chunked body: its size in hex, CRLF, the data, CRLF.</summary>
    public static async Task WriteChunkAsync(Stream stream, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(data.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"), cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync("\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends a chunked body: the zero-size chunk and an empty trailer.</summary>
    public static async Task WriteLastChunkAsync(Stream stream, CancellationToken cancellationToken = default)
        => await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
}
