using System.Text;

namespace ModelSwap.Engine.Tools;

/// <summary>
/// Splits a reply that is being generated into content and tool calls, so content streams at once:
/// text is held back only while it could be the start of the family's tool-call opening marker (or,
/// for Llama 3, until the first visible character shows whether the reply is a bare JSON call). From
/// the marker on, text is held until the call is complete (its closing marker, else the reply's end)
/// and then parsed. gpt-oss's Harmony channels are held whole: their calls need the full reply.
/// </summary>
internal sealed class ToolCallStream
{
    private const string PythonTag = "<|python_tag|>";
    private readonly ToolCallFormat _format;
    private readonly bool _parallel;
    private readonly (string Open, string? Close)? _markers;
    private readonly StringBuilder _text = new();
    private readonly StringBuilder _whitespace = new();
    private bool _inCall;
    private bool _holdAll;
    private bool _plainContent;
    private int _calls;

    public ToolCallStream(ToolCallFormat format, bool parallel)
    {
        _format = format;
        _parallel = parallel;
        _markers = format switch
        {
            ToolCallFormat.Hermes => ("<tool_call>", "</tool_call>"),
            ToolCallFormat.Phi4 => ("<|tool_call|>", "<|/tool_call|>"),
            ToolCallFormat.Mistral => ("[TOOL_CALLS]", null),
            ToolCallFormat.DeepSeek => ("<｜tool▁calls▁begin｜>", "<｜tool▁calls▁end｜>"),
            _ => null,
        };
        _holdAll = format == ToolCallFormat.GptOss;
    }

    /// <summary>Tool calls yielded so far (after the parallel_tool_calls limit).</summary>
    public int CallCount => _calls;

    public List<ToolStreamEvent> Push(string piece)
    {
        var events = new List<ToolStreamEvent>();
        if (_plainContent)
        {
            Content(events, piece);
            return events;
        }
        _text.Append(piece);
        if (_holdAll)
            return events;
        if (_format == ToolCallFormat.Llama3)
        {
            DecideLlama3(events);
            return events;
        }
        Scan(events);
        return events;
    }

    /// <summary>The reply ended: whatever was held becomes calls, or content when it holds none.</summary>
    public List<ToolStreamEvent> Finish()
    {
        var events = new List<ToolStreamEvent>();
        var rest = _text.ToString();
        _text.Clear();
        if (_inCall || _holdAll)
        {
            var (content, calls) = ToolCallParser.Parse(rest, _format);
            if (calls.Count == 0)
            {
                Content(events, rest);
            }
            else
            {
                Content(events, content);
                foreach (var call in calls)
                    Call(events, call);
            }
        }
        else
        {
            Content(events, rest);
        }
        if (_calls == 0 && _whitespace.Length > 0)
            events.Add(new ToolStreamEvent(_whitespace.ToString(), null));
        _whitespace.Clear();
        return events;
    }

    /// <summary>Llama 3 calls are a bare JSON object (after an optional python tag) as the whole reply.</summary>
    private void DecideLlama3(List<ToolStreamEvent> events)
    {
        var visible = _text.ToString().TrimStart();
        if (visible.Length == 0 || (visible.Length < PythonTag.Length && PythonTag.StartsWith(visible, StringComparison.Ordinal)))
            return;
        if (visible[0] == '{' || visible.StartsWith(PythonTag, StringComparison.Ordinal))
        {
            _holdAll = true;
            return;
        }
        _plainContent = true;
        var text = _text.ToString();
        _text.Clear();
        Content(events, text);
    }

    private void Scan(List<ToolStreamEvent> events)
    {
        var (open, close) = _markers!.Value;
        while (true)
        {
            var text = _text.ToString();
            if (!_inCall)
            {
                var at = text.IndexOf(open, StringComparison.Ordinal);
                if (at < 0)
                {
                    var keep = PartialMarkerLength(text, open);
                    Content(events, text[..^keep]);
                    _text.Remove(0, text.Length - keep);
                    return;
                }
                Content(events, text[..at]);
                _text.Remove(0, at);
                _inCall = true;
                continue;
            }
            var end = close is null ? -1 : text.IndexOf(close, open.Length, StringComparison.Ordinal);
            if (end < 0)
                return; // the call goes on (or, without a closing marker, lasts to the reply's end)
            var length = end + close!.Length;
            var (_, calls) = ToolCallParser.Parse(text[..length], _format);
            if (calls.Count == 0)
                Content(events, text[..length]); // not a readable call after all: it was text
            foreach (var call in calls)
                Call(events, call);
            _text.Remove(0, length);
            _inCall = false;
        }
    }

    /// <summary>How many characters at the end of <paramref name="text"/> could begin <paramref name="marker"/>.</summary>
    internal static int PartialMarkerLength(string text, string marker)
    {
        for (var length = Math.Min(marker.Length - 1, text.Length); length > 0; length--)
        {
            if (text.AsSpan(text.Length - length).SequenceEqual(marker.AsSpan(0, length)))
                return length;
        }
        return 0;
    }

    /// <summary>Whitespace waits for the next visible text: the line breaks around calls are not content.</summary>
    private void Content(List<ToolStreamEvent> events, string text)
    {
        if (text.Length == 0)
            return;
        if (string.IsNullOrWhiteSpace(text))
        {
            _whitespace.Append(text);
            return;
        }
        if (_whitespace.Length > 0)
        {
            text = _whitespace + text;
            _whitespace.Clear();
        }
        events.Add(new ToolStreamEvent(text, null));
    }

    private void Call(List<ToolStreamEvent> events, ParsedToolCall call)
    {
        _whitespace.Clear();
        if (_calls > 0 && !_parallel)
            return;
        _calls++;
        events.Add(new ToolStreamEvent(null, call));
    }
}
