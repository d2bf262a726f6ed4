using ModelSwap.Core.Configuration.Loading;

namespace ModelSwap.Core.Tests.Configuration;

public sealed class ShellWordsTests
{
    private static string[] Split(string text)
    {
        Assert.True(ShellWords.TrySplit(text, out var words, out var error), error);
        return [.. words];
    }

    [Theory]
    [InlineData("a b  c", new[] { "a", "b", "c" })]
    [InlineData("  a\tb\n c \n", new[] { "a", "b", "c" })]
    [InlineData("'a b' c", new[] { "a b", "c" })]
    [InlineData("'it'\\''s'", new[] { "it's" })]
    [InlineData("'no \\ escapes'", new[] { "no \\ escapes" })]
    [InlineData("\"a b\" c", new[] { "a b", "c" })]
    [InlineData("\"say \\\"hi\\\"\"", new[] { "say \"hi\"" })]
    [InlineData("\"back\\\\slash\"", new[] { "back\\slash" })]
    [InlineData("\"keep \\n and \\t\"", new[] { "keep \\n and \\t" })]
    [InlineData("\"\\$HOME\"", new[] { "$HOME" })]
    [InlineData("a\\ b", new[] { "a b" })]
    [InlineData("\\\"quoted\\\"", new[] { "\"quoted\"" })]
    [InlineData("pre'mid dle'post", new[] { "premid dlepost" })]
    [InlineData("'' \"\" x", new[] { "", "", "x" })]
    [InlineData("--flag='{\"a\": 1}'", new[] { "--flag={\"a\": 1}" })]
    [InlineData("$HOME ${PID} *.gguf | grep", new[] { "$HOME", "${PID}", "*.gguf", "|", "grep" })]
    [InlineData("a # comment here\nb", new[] { "a", "b" })]
    [InlineData("a#not-a-comment", new[] { "a#not-a-comment" })]
    [InlineData("'#quoted' \"#too\"", new[] { "#quoted", "#too" })]
    [InlineData("a \\\nb", new[] { "a", "b" })]
    [InlineData("\"multi\nline\"", new[] { "multi\nline" })]
    [InlineData("trailing\\", new[] { "trailing\\" })]
    [InlineData("", new string[0])]
    public void Splits_like_a_posix_shell(string text, string[] expected) => Assert.Equal(expected, Split(text));

    [Theory]
    [InlineData("llama-server --model 'my model.gguf", "unterminated single quote in `'my model.gguf`")]
    [InlineData("llama-server --alias \"chat", "unterminated double quote in `\"chat`")]
    [InlineData("a \"b \\\" c", "unterminated double quote")]
    public void Unterminated_quotes_are_errors(string text, string message)
    {
        Assert.False(ShellWords.TrySplit(text, out _, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_drops_comment_lines_and_joins_continuations()
    {
        var text = "# leading comment\nllama-server \\\n  --port 9000 \\   \n    # indented comment\n  --ctx-size 4096\n";
        Assert.Equal(["llama-server", "--port", "9000", "--ctx-size", "4096"], Split(ShellWords.Normalize(text)));
    }

    [Fact]
    public void Normalize_keeps_ordinary_lines_and_crlf_files_work()
    {
        Assert.Equal(["a", "b", "c"], Split(ShellWords.Normalize("a\r\nb\r\n  # c0\r\nc")));
    }
}
