using System.Text;

namespace ModelSwap.Gateway.Processes;

/// <summary>
/// Cuts a child's raw output into lines: "\n", "\r\n" and a lone "\r" (progress bars) end a line,
/// and a line longer than <see cref="MaxLineBytes"/> is cut (at a UTF-8 character boundary) so a
/// process that never writes a newline cannot grow memory.
/// </summary>
internal sealed class LineSplitter
{
    public const int MaxLineBytes = 16 * 1024;

    private readonly Action<string> _onLine;
    private readonly byte[] _line = new byte[MaxLineBytes];
    private int _length;
    private bool _afterCarriageReturn;

    public LineSplitter(Action<string> onLine) => _onLine = onLine;

    public void Write(ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            if (b == (byte)'\n' && _afterCarriageReturn)
            {
                _afterCarriageReturn = false;
                continue;
            }
            _afterCarriageReturn = b == (byte)'\r';
            if (b is (byte)'\n' or (byte)'\r')
            {
                Emit(_length);
                continue;
            }
            if (_length == _line.Length)
            {
                EmitLongLine();
            }
            _line[_length++] = b;
        }
    }

    /// <summary>Emits what is left when the stream ends without a final newline.</summary>
    public void Complete()
    {
        if (_length > 0)
        {
            Emit(_length);
        }
    }

    private void EmitLongLine()
    {
        // Cut before the last character when it is incomplete, so no character is split in two.
        var cut = _length;
        var lead = _length - 1;
        while (lead > 0 && lead > _length - 4 && (_line[lead] & 0xC0) == 0x80)
        {
            lead--;
        }
        var b = _line[lead];
        var size = b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
        if (lead > 0 && lead + size > _length)
        {
            cut = lead;
        }
        Emit(cut);
    }

    private void Emit(int count)
    {
        var text = Encoding.UTF8.GetString(_line, 0, count);
        Array.Copy(_line, count, _line, 0, _length - count);
        _length -= count;
        _onLine(text);
    }
}
