using System.Text;

namespace ModelSwap.Gateway.Activity;

/// <summary>The head of a request body as it is read (for the request viewer): at most <see cref="MaxBytes"/>.</summary>
internal sealed class RequestExcerpt
{
    public const int MaxBytes = 8 * 1024;

    private readonly byte[] _head = new byte[MaxBytes];
    private int _length;

    public bool Truncated { get; private set; }

    public void Observe(ReadOnlySpan<byte> bytes)
    {
        var room = MaxBytes - _length;
        if (bytes.Length > room)
        {
            Truncated = true;
        }
        var take = Math.Min(room, bytes.Length);
        bytes[..take].CopyTo(_head.AsSpan(_length));
        _length += take;
    }

    public void Set(string text)
    {
        _length = 0;
        Truncated = false;
        Observe(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>The head as text; a character cut in half at the end is dropped, not garbled.</summary>
    public string Text
    {
        get
        {
            var span = _head.AsSpan(0, _length);
            var decoder = new UTF8Encoding(false, false);
            var text = decoder.GetString(span);
            return Truncated && text.EndsWith('\uFFFD') ? text[..^1] : text;
        }
    }
}
