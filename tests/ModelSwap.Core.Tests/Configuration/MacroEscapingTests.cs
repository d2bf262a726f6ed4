using ModelSwap.Core.Configuration;
using static ModelSwap.Core.Tests.Configuration.ConfigTestLoader;

namespace ModelSwap.Core.Tests.Configuration;

/// <summary>"$${x}" is the literal text "${x}": how generated configs keep file names from being read as macros.</summary>
public sealed class MacroEscapingTests
{
    [Theory]
    [InlineData("${env.HOME}")]
    [InlineData("${PORT}")]
    [InlineData("${nope}")]
    [InlineData("$${x}")]
    [InlineData("a$b$${c}$$$")]
    [InlineData("plain")]
    public void Escaped_text_reaches_the_command_literally(string text)
    {
        var escaped = MacroEscaping.Escape(text);
        var config = Valid("models:\n  m:\n    cmd: server --port ${PORT} --model '" + escaped + "'\n    name: \"" + escaped
            + "\"\n    metadata:\n      file: \"" + escaped + "\"\n", new Dictionary<string, string> { ["HOME"] = "/home/secret" });
        var model = config.Models["m"];
        Assert.Equal(text, model.Command[^1]);
        Assert.Equal(text, model.Name);
        Assert.Equal(text, model.Metadata!["file"]!.GetValue<string>());
    }

    [Fact]
    public void Unescaped_macros_still_expand()
    {
        var config = Valid("""
            macros:
              dir: /models
            models:
              m:
                cmd: server --port ${PORT} --model ${dir}/$${dir}.gguf
            """);
        Assert.Equal("/models/${dir}.gguf", config.Models["m"].Command[^1]);
    }
}
