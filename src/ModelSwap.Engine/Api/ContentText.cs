using System.Text;

namespace ModelSwap.Engine.Api;

/// <summary>
/// A message's content parts joined into the one string templates see, as llama-server joins them:
/// text parts with a newline between them, an image as the media marker with no newline before or
/// after it (so both runtimes give the same prompt, token for token).
/// </summary>
internal sealed class ContentText
{
    private readonly StringBuilder _text = new();
    private bool _afterMarker;

    public int Length => _text.Length;

    public void AddText(string? text)
    {
        if (!_afterMarker && _text.Length > 0)
            _text.Append('\n');
        _text.Append(text);
        _afterMarker = false;
    }

    public void AddImage()
    {
        _text.Append(TemplateMessage.MediaMarker);
        _afterMarker = true;
    }

    public override string ToString() => _text.ToString();
}
