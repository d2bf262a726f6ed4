using System.Net;
using ModelSwap.Gateway.Api;
using ModelSwap.Gateway.Tests.Functional;

namespace ModelSwap.Gateway.Tests.Hosting;

/// <summary>/logs with a model that floods its log: capped lines and replies, ?lines= and ?since=, 32 readers at once.</summary>
public sealed class LogsLimitTests
{
    [Fact]
    public async Task A_chatty_model_gives_capped_replies_to_32_concurrent_readers()
    {
        await using var host = await GatewayTestHost.StartAsync($"""
            models:
              chatty:
                cmd: {GatewayTestHost.FakeCmd("chatty", "--chatty 3000")}
            """);
        await host.ChatAsync("chatty");
        // The flood is printed once listening; wait for its last line to reach the log.
        while (!(await host.Client.GetStringAsync("/logs?lines=50")).Contains("chatted 3000 lines", StringComparison.Ordinal))
        {
            await Task.Yield();
        }
        var replies = await Task.WhenAll(Enumerable.Range(0, 32).Select(async _ =>
        {
            using var response = await host.Client.GetAsync("/logs");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.Content.ReadAsByteArrayAsync();
        }));
        foreach (var reply in replies)
        {
            Assert.InRange(reply.Length, LogEndpoints.MaxLineChars, LogEndpoints.MaxReplyBytes);
            var lines = System.Text.Encoding.UTF8.GetString(reply).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.All(lines, line => Assert.True(line.Length <= LogEndpoints.MaxLineChars + 1, $"a line of {line.Length} chars"));
            Assert.Contains("chatted 3000 lines", lines[^1], StringComparison.Ordinal);
        }

        using var ten = await host.Client.GetAsync("/logs?lines=10");
        Assert.Equal(10, (await ten.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        var cursor = ten.Headers.GetValues(LogEndpoints.CursorHeader).Single();
        await host.Client.PostAsync("/unload", null);
        using var after = await host.Client.GetAsync("/logs?since=" + cursor);
        var newLines = (await after.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(newLines);
        Assert.DoesNotContain(newLines, l => l.Contains("chatted 3000 lines", StringComparison.Ordinal));
    }
}
