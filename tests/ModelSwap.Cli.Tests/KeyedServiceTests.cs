using ModelSwap.Testing;

namespace ModelSwap.Cli.Tests;

/// <summary>The verbs that talk to a service send the key from MODELSWAP_API_KEYS when the service wants one.</summary>
public sealed class KeyedServiceTests
{
    [Fact]
    public async Task Ps_uses_the_key_from_the_environment_and_says_so_when_it_is_missing()
    {
        await using var serve = await ServeProcess.StartAsync($"""
            apiKeys: ["sk-cli-key"]
            models:
              model-a:
                cmd: {ServeProcess.FakeCmd("a")}
            """);
        var url = serve.Client.BaseAddress!.ToString();
        var (withoutKey, _, stderr) = await RunAsync(null, "ps", "--url", url);
        Assert.Equal(1, withoutKey);
        Assert.Contains("MODELSWAP_API_KEYS", stderr, StringComparison.Ordinal);
        var (withKey, stdout, stderr2) = await RunAsync("sk-cli-key", "ps", "--url", url, "--format", "json");
        Assert.True(withKey == 0, stderr2);
        Assert.Equal("[]", stdout.Trim());

        // status still tells a ModelSwap from the /health headers, and says why the details are missing.
        var (status, statusOut, statusErr) = await RunAsync(null, "status", "--url", url);
        Assert.True(status == 0, statusErr);
        Assert.Contains("details unknown: the service wants an API key", statusOut, StringComparison.Ordinal);
        var (keyed, keyedOut, _) = await RunAsync("sk-cli-key", "status", "--url", url, "--format", "json");
        Assert.Equal(0, keyed);
        Assert.Equal(0, System.Text.Json.Nodes.JsonNode.Parse(keyedOut)!["ready"]!.GetValue<int>());
    }

    private static async Task<CliResult> RunAsync(string? key, params string[] args)
    {
        var home = Directory.CreateTempSubdirectory("modelswap-home-").FullName;
        try
        {
            return await new CliRunner(home).With(("MODELSWAP_API_KEYS", key ?? "")).RunAsync(args);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }
}
