using ModelSwap.Cli.Commands;
using ModelSwap.Testing;

namespace ModelSwap.Cli.Tests;

/// <summary>`serve --history-rows/--history-age`: a bad bound is refused before anything starts, naming the option and the value.</summary>
public sealed class ServeHistoryOptionTests
{
    [Theory]
    [InlineData("--history-age", "7x", "'7x' is not an age")]
    [InlineData("--history-age", "0d", "'0d' is not an age")]
    [InlineData("--history-rows", "0", "'0' is not a number of requests")]
    [InlineData("--history-rows", "lots", "'lots' is not a number of requests")]
    public async Task A_bad_history_bound_is_refused_with_its_name(string option, string value, string expected)
    {
        var home = Directory.CreateTempSubdirectory("modelswap-cli-history-").FullName;
        var models = Directory.CreateTempSubdirectory("modelswap-cli-models-").FullName;
        var result = await new CliRunner(home).RunAsync("serve", "--models-dir", models, "--listen", "127.0.0.1:0", option, value);
        Assert.Equal(ExitCodes.InvalidInput, result.Code);
        Assert.Contains($"error: {option} {expected}", result.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(home, "activity.db")), "nothing may start with a bad bound");
    }
}
