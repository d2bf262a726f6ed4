namespace ModelSwap.Engine.Templates;

/// <summary>The tokens of one tag with a cursor; errors name the template line.</summary>
internal sealed class JinjaTokenStream(List<JinjaToken> tokens, int line)
{
    private int _position;

    public int Line { get; } = line;
    public JinjaToken Current => tokens[_position];
    public JinjaToken Peek(int ahead = 1) => tokens[Math.Min(_position + ahead, tokens.Count - 1)];
    public bool AtEnd => Current.Kind == JinjaTokenKind.End;

    public JinjaToken Next()
    {
        var token = tokens[_position];
        if (_position < tokens.Count - 1)
        {
            _position++;
        }
        return token;
    }

    public bool SkipIf(string op)
    {
        if (!Current.Is(op))
        {
            return false;
        }
        Next();
        return true;
    }

    public bool SkipName(string name)
    {
        if (!Current.IsName(name))
        {
            return false;
        }
        Next();
        return true;
    }

    public void Expect(string op)
    {
        if (!SkipIf(op))
        {
            throw Error($"expected '{op}'");
        }
    }

    public string ExpectName()
    {
        if (Current.Kind != JinjaTokenKind.Name)
        {
            throw Error("expected a name");
        }
        return Next().Text;
    }

    public void ExpectEnd()
    {
        if (!AtEnd)
        {
            throw Error("unexpected text");
        }
    }

    public JinjaException Error(string what) =>
        new($"line {Line}: {what} at '{(AtEnd ? "end of tag" : Current.Text)}'");
}
