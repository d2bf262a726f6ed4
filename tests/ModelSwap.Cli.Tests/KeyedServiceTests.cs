using System.Diagnostics;

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
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string? key, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(ServeProcess.ModelSwapDll);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["MODELSWAP_API_KEYS"] = key ?? "";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout, await stderr);
    }
}
