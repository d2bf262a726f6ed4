using System.Buffers;
using System.Text.Json;

namespace ModelSwap.Gateway.Routing;

/// <summary>
/// Reads a JSON string too long for the pump's buffer piece by piece: finds where it starts, cuts its
/// content only between whole units (an escape, a surrogate-pair escape, a UTF-8 sequence), and
/// validates each piece as Utf8JsonReader would validate the whole string.
/// </summary>
internal static class LongJsonString
{
    /// <summary>
    /// The index of the opening quote of the string that comes next in <paramref name="data"/> (after
    /// whitespace, complete comments and one comma: the reader leaves the comma before a member or an
    /// element unconsumed until it has read what follows), or -1 when the next token is not a string.
    /// </summary>
    public static int FindStart(ReadOnlySpan<byte> data)
    {
        var i = 0;
        var comma = false;
        while (i < data.Length)
        {
            var b = data[i];
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                i++;
            }
            else if (b == ',' && !comma)
            {
                comma = true;
                i++;
            }
            else if (b == '/' && i + 1 < data.Length && data[i + 1] == '/')
            {
                var end = data[(i + 2)..].IndexOf((byte)'\n');
                if (end < 0)
                {
                    return -1;
                }
                i += end + 3;
            }
            else if (b == '/' && i + 1 < data.Length && data[i + 1] == '*')
            {
                var end = data[(i + 2)..].IndexOf("*/"u8);
                if (end < 0)
                {
                    return -1;
                }
                i += end + 4;
            }
            else
            {
                return b == '"' ? i : -1;
            }
        }
        return -1;
    }

    /// <summary>
    /// Scans string content (after the opening quote). Returns the index of the closing quote with
    /// <c>closed</c> true, or else the end of the whole units seen so far (the rest needs more bytes).
    /// </summary>
    public static (int End, bool Closed) Scan(ReadOnlySpan<byte> content)
    {
        var i = 0;
        while (i < content.Length)
        {
            var next = content[i..].IndexOfAny((byte)'"', (byte)'\\');
            if (next < 0)
            {
                return (WholeSequencesEnd(content, i), false);
            }
            i += next;
            if (content[i] == '"')
            {
                return (i, true);
            }
            var unit = EscapeLength(content[i..]);
            if (unit == 0)
            {
                return (i, false);
            }
            i += unit;
        }
        return (i, false);
    }

    /// <summary>
    /// Validates one piece of content as a JSON string (escapes, control characters, UTF-8, surrogates).
    /// Returns null when it is valid, else why and where: the index in the piece, or -1 when only the
    /// string as a whole can be blamed (text that does not decode).
    /// </summary>
    public static (string Message, long Index)? Validate(ReadOnlySpan<byte> content)
    {
        var quoted = ArrayPool<byte>.Shared.Rent(content.Length + 2);
        var text = ArrayPool<byte>.Shared.Rent(content.Length);
        try
        {
            quoted[0] = (byte)'"';
            content.CopyTo(quoted.AsSpan(1));
            quoted[content.Length + 1] = (byte)'"';
            var reader = new Utf8JsonReader(quoted.AsSpan(0, content.Length + 2), isFinalBlock: true, state: default);
            reader.Read();
            reader.CopyString(text);
            return null;
        }
        catch (JsonException ex)
        {
            // The reader counts from the stand-in opening quote, one byte before the piece.
            return (JsonTokenWalker.WithoutPosition(ex.Message), (ex.BytePositionInLine ?? 1) - 1);
        }
        catch (InvalidOperationException ex)
        {
            return ("a string is not valid text: " + ex.Message, -1);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(text);
            ArrayPool<byte>.Shared.Return(quoted);
        }
    }

    /// <summary>
    /// The length of the escape at the start of <paramref name="data"/> (a high-surrogate \u escape
    /// together with the \u escape after it, so a pair is never cut), or 0 when more bytes are needed.
    /// </summary>
    private static int EscapeLength(ReadOnlySpan<byte> data)
    {
        if (data.Length < 2)
        {
            return 0;
        }
        if (data[1] != 'u')
        {
            return 2;
        }
        if (data.Length < 6)
        {
            return 0;
        }
        if (!IsHighSurrogate(data[2..6]))
        {
            return 6;
        }
        if (data.Length < 12)
        {
            return 0;
        }
        return data[6] == '\\' && data[7] == 'u' ? 12 : 6;
    }

    private static bool IsHighSurrogate(ReadOnlySpan<byte> hex) =>
        (hex[0] | 0x20) == 0x64 && (hex[1] | 0x20) is 0x38 or 0x39 or 0x61 or 0x62; // [dD][89abAB]

    /// <summary>The end of <paramref name="data"/> less a UTF-8 sequence it ends in the middle of.</summary>
    private static int WholeSequencesEnd(ReadOnlySpan<byte> data, int from)
    {
        var last = data.Length - 1;
        while (last >= from && last > data.Length - 4 && (data[last] & 0xC0) == 0x80)
        {
            last--;
        }
        if (last < from || data[last] < 0x80)
        {
            return data.Length;
        }
        var length = data[last] >= 0xF0 ? 4 : data[last] >= 0xE0 ? 3 : data[last] >= 0xC0 ? 2 : 1;
        return last + length <= data.Length ? data.Length : last;
    }
}
