using ModelSwap.Core.Configuration;

namespace ModelSwap.Core.Tests.Configuration;

/// <summary>Bad input gets diagnostics, never an exception.</summary>
public sealed class RobustnessTests
{
    private static readonly string Example = File.ReadAllText(
        Path.Combine(AppContext.BaseDirectory, "Configuration", "Fixtures", "llama-swap", "config.example.yaml"));

    private static readonly ConfigLoadOptions Options = new() { GetEnvironmentVariable = _ => "x", IsPortFree = _ => true };

    [Fact]
    public void Every_truncation_of_the_example_loads_or_reports_without_throwing()
    {
        for (var length = 0; length < Example.Length; length += 7)
        {
            var result = ConfigLoader.Parse(Example[..length], "cut.yaml", Options);
            Assert.True(result.IsValid || result.Errors.Any(), $"invalid without an error at length {length}");
            Assert.All(result.Diagnostics, d => Assert.True(d.Line >= 0));
        }
    }

    [Fact]
    public void Lines_with_a_character_changed_never_throw()
    {
        var lines = Example.Split('\n');
        var replacements = new[] { "", ":", "- ", "[", "{", "\"", "'", "&a", "*a", "!!int ", "\t", "${", "|" };
        var random = new Random(1234);
        for (var i = 0; i < 400; i++)
        {
            var mutated = (string[])lines.Clone();
            var line = random.Next(mutated.Length);
            var text = mutated[line];
            var at = text.Length == 0 ? 0 : random.Next(text.Length);
            mutated[line] = text[..at] + replacements[random.Next(replacements.Length)] + text[Math.Min(text.Length, at + 1)..];
            var result = ConfigLoader.Parse(string.Join('\n', mutated), "mutated.yaml", Options);
            Assert.True(result.IsValid || result.Errors.Any());
        }
    }

    [Theory]
    [InlineData("models:\n  ? [a, b]\n  : {cmd: x}\n", "keys must be plain strings")]
    [InlineData("models:\n  m:\n    <<: 5\n    cmd: x\n", "a merge key (<<) must refer to a mapping")]
    [InlineData("models:\n  \"\":\n    cmd: x\n", "a model id must not be empty")]
    [InlineData("models: !!binary aGVsbG8=\n", "models must be a mapping")]
    [InlineData("models:\n  m:\n    cmd: x\n    metadata: &m\n      self: *m\n", "an alias refers to a value that contains the alias itself")]
    [InlineData("models:\n  m: &m\n    cmd: x\n    <<: *m\n", "an alias refers to a value that contains the alias itself")]
    [InlineData("models:\n  m:\n    cmd: x\n    metadata: {l: &l [1, *l]}\n", "an alias refers to a value that contains the alias itself")]
    [InlineData("models: {}\nx: *undefined\n", "invalid YAML")]
    public void Odd_yaml_shapes_and_alias_cycles_are_errors(string yaml, string message)
    {
        var result = ConfigLoader.Parse(yaml, "odd.yaml", Options);
        Assert.Contains(result.Errors, e => e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Alias_bombs_and_deep_nesting_are_errors_not_hangs()
    {
        var bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
        for (var level = 'b'; level <= 'h'; level++)
        {
            var previous = (char)(level - 1);
            bomb += $"{level}: &{level} [{string.Join(", ", Enumerable.Repeat("*" + previous, 10))}]\n";
        }
        Assert.Contains("aliases expand to more than", Assert.Single(ConfigLoader.Parse(bomb + "models: {}\n", "bomb.yaml", Options).Errors).Message, StringComparison.Ordinal);
        var deep = "models: " + new string('[', 3000) + new string(']', 3000) + "\n";
        Assert.Contains("nested more than", Assert.Single(ConfigLoader.Parse(deep, "deep.yaml", Options).Errors).Message, StringComparison.Ordinal);
    }
}
