using System.Text;
using ModelSwap.Gateway.Processes;

namespace ModelSwap.Gateway.Tests.Processes;

public sealed class LineSplitterTests
{
    private readonly List<string> _lines = [];
    private readonly LineSplitter _splitter;

    public LineSplitterTests() => _splitter = new LineSplitter(_lines.Add);

    private void Write(string text) => _splitter.Write(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Splits_on_newline_crlf_and_lone_carriage_return()
    {
        Write("a\nb\r\nprogress 10%\rprogress 20%\r");
        Write("\nlast");

        Assert.Equal(["a", "b", "progress 10%", "progress 20%"], _lines);
        _splitter.Complete();
        Assert.Equal("last", _lines[^1]);
    }

    [Fact]
    public void Joins_a_line_split_across_writes()
    {
        Write("hel");
        Write("lo wor");
        Write("ld\r");
        Write("\n");

        Assert.Equal(["hello world"], _lines);
    }

    [Fact]
    public void Keeps_empty_lines()
    {
        Write("a\n\nb\n");

        Assert.Equal(["a", "", "b"], _lines);
    }

    [Fact]
    public void Cuts_an_endless_line_without_splitting_a_character()
    {
        // 'é' is two bytes; with one ASCII byte first, a character straddles every 16 KiB boundary.
        var text = "x" + string.Concat(Enumerable.Repeat("é", LineSplitter.MaxLineBytes));
        Write(text);
        _splitter.Complete();

        Assert.True(_lines.Count >= 2);
        Assert.All(_lines, l => Assert.True(Encoding.UTF8.GetByteCount(l) <= LineSplitter.MaxLineBytes));
        Assert.DoesNotContain(_lines, l => l.Contains('\uFFFD'));
        Assert.Equal(text, string.Concat(_lines));
    }
}
