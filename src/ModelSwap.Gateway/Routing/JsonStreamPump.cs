using System.Buffers;

namespace ModelSwap.Gateway.Routing;

/// <summary>
/// Reads a JSON body from a stream as it arrives and hands it token by token to a visitor, holding one
/// chunk at a time: a string longer than the chunk (a 90 MB prompt) is passed on in validated pieces,
/// never held whole. Other tokens (numbers, comments) may grow the buffer up to <see cref="MaxTokenBytes"/>.
/// </summary>
internal static class JsonStreamPump
{
    public const int ChunkSize = 64 * 1024;

    /// <summary>The longest number, literal or comment accepted: nothing legitimate comes near it.</summary>
    public const int MaxTokenBytes = 1024 * 1024;

    /// <summary>
    /// Pumps the whole body; <paramref name="drain"/> runs after every piece the visitor was given (to
    /// write out what it produced). Returns the number of bytes read; an empty body visits nothing.
    /// Throws <see cref="BadRequestException"/> for a body that is not valid JSON.
    /// </summary>
    public static async Task<long> RunAsync(Stream input, IJsonTokenVisitor visitor, Func<CancellationToken, ValueTask>? drain,
        CancellationToken cancellationToken)
    {
        var walker = new JsonTokenWalker(visitor);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        var filled = 0;
        var final = false;
        long total = 0;
        try
        {
            while (true)
            {
                if (!final && filled < buffer.Length)
                {
                    var read = await input.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
                    final = read == 0;
                    filled += read;
                    total += read;
                }
                if (final && total == 0)
                {
                    return 0;
                }
                var consumed = walker.Feed(buffer.AsSpan(0, filled), final);
                if (drain is not null)
                {
                    await drain(cancellationToken).ConfigureAwait(false);
                }
                if (final)
                {
                    return total;
                }
                buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                filled -= consumed;
                if (filled < buffer.Length)
                {
                    continue;
                }
                // The buffer is full of one unfinished token. (A stand-in still held is a short string already
                // read, not a long one: it waits for its colon behind a megabyte of whitespace, as a long number would.)
                var quote = walker.HoldsStandIn ? -1 : LongJsonString.FindStart(buffer.AsSpan(0, filled));
                if (quote >= 0 && !walker.Started)
                {
                    throw new BadRequestException("request body must be a JSON object");
                }
                if (quote >= 0)
                {
                    var state = await PumpLongStringAsync(input, walker, visitor, drain, new LongRead(buffer, quote, filled, final, total),
                        cancellationToken).ConfigureAwait(false);
                    (buffer, filled, final, total) = (state.Buffer, state.Filled, state.Final, state.Total);
                }
                else if (buffer.Length < MaxTokenBytes)
                {
                    var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, filled).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }
                else
                {
                    throw walker.Invalid(buffer.AsSpan(0, filled), 0, $"a number or comment is longer than {MaxTokenBytes} bytes");
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private readonly record struct LongRead(byte[] Buffer, int Position, int Filled, bool Final, long Total);

    /// <summary>
    /// Passes a long string on piece by piece, then leaves in the buffer what came before its quote
    /// (whitespace, comments: lines the reader must still count), a stand-in empty string and what came
    /// after it, so the reader (whose state expects that string) carries on.
    /// </summary>
    private static async Task<LongRead> PumpLongStringAsync(Stream input, JsonTokenWalker walker, IJsonTokenVisitor visitor,
        Func<CancellationToken, ValueTask>? drain, LongRead state, CancellationToken cancellationToken)
    {
        var (buffer, quote, filled, final, total) = state;
        var prefix = buffer.AsSpan(0, quote).ToArray();
        // The string has no line breaks (a raw one is invalid): every error in it is on the quote's line.
        var (line, lineStart) = walker.LineOf(buffer.AsSpan(0, filled), quote);
        var contentStart = walker.OffsetOf(quote + 1);
        long length = 0;
        var position = quote + 1;
        visitor.OnLongStringStart(walker.ExpectsPropertyName, walker.NextDepth);
        while (true)
        {
            var (end, closed) = LongJsonString.Scan(buffer.AsSpan(position, filled - position));
            var content = buffer.AsSpan(position, end);
            if (LongJsonString.Validate(content) is { } error)
            {
                var at = error.Index < 0 ? contentStart - 1 : contentStart + length + error.Index;
                throw new BadRequestException($"request body is not valid JSON at {JsonTokenWalker.Where(line, lineStart, at)}: {error.Message}");
            }
            length += end;
            visitor.OnLongStringSegment(content, closed);
            if (drain is not null)
            {
                await drain(cancellationToken).ConfigureAwait(false);
            }
            if (closed)
            {
                var after = position + end + 1;
                var rest = filled - after;
                var size = prefix.Length + 2 + rest;
                var target = size > buffer.Length ? ArrayPool<byte>.Shared.Rent(size) : buffer;
                buffer.AsSpan(after, rest).CopyTo(target.AsSpan(prefix.Length + 2));
                if (target != buffer)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = target;
                }
                prefix.CopyTo(buffer, 0);
                buffer[prefix.Length] = (byte)'"';
                buffer[prefix.Length + 1] = (byte)'"';
                walker.ExpectStandIn(prefix.Length, length);
                return new LongRead(buffer, 0, size, final, total);
            }
            if (final)
            {
                throw new BadRequestException(
                    $"request body is not valid JSON at {JsonTokenWalker.Where(line, lineStart, total)}: a string is not closed before the end of the body");
            }
            var kept = filled - position - end;
            buffer.AsSpan(position + end, kept).CopyTo(buffer);
            filled = kept;
            position = 0;
            var read = await input.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            final = read == 0;
            filled += read;
            total += read;
        }
    }
}
