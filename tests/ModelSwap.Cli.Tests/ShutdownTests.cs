using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ModelSwap.Testing;

namespace ModelSwap.Cli.Tests;

/// <summary>Clean shutdown of the real `serve` process on SIGTERM, and the impatient second signal.</summary>
public sealed class ShutdownTests
{

    [Fact]
    public async Task Sigterm_answers_queued_clients_503_at_once_and_exits_0()
    {
        // The model never gets ready and the grace is long: only an immediate answer lets this end.
        await using var serve = await ServeProcess.StartAsync($"""
            models:
              model-a:
                cmd: {ServeProcess.FakeCmd("a")} --ready-delay 600000
            """, "--shutdown-grace", "600");
        var clients = Enumerable.Range(0, 4)
            .Select(_ => serve.Client.PostAsJsonAsync("/v1/chat/completions", new { model = "model-a" }))
            .ToList();
        await WaitUntilAsync(async () => (await RequestsAsync(serve)).Count(r => r["state"]!.GetValue<string>() == "queued") == 4);
        var modelPid = (await serve.Client.GetFromJsonAsync<JsonObject>("/running"))!["running"]!.AsArray()
            .Select(r => r!["pid"]?.GetValue<int?>()).FirstOrDefault(p => p is not null);

        Assert.Equal(0, Signals.Send(serve.Process.Id, Signals.Terminate));

        foreach (var client in clients)
        {
            using var response = await client;
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
            Assert.Equal("shutting_down", error["code"]!.GetValue<string>());
        }
        Assert.True(serve.Process.WaitForExit(TimeSpan.FromMinutes(2)), "modelswap did not exit");
        Assert.Equal(0, serve.Process.ExitCode);
        if (modelPid is { } pid)
        {
            Assert.True(await ServeProcessTests.WaitForExitAsync(pid, TimeSpan.FromMinutes(2)), "the starting model outlived modelswap");
        }
        Assert.DoesNotContain(serve.Output, l => l.Contains("   at ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_second_sigterm_ends_at_once_and_still_kills_every_model()
    {
        await using var serve = await ServeProcess.StartAsync($"""
            models:
              model-a:
                cmd: {ServeProcess.FakeCmd("a")}
            """, "--shutdown-grace", "600");
        using (var warm = await serve.Client.PostAsJsonAsync("/v1/chat/completions", new { model = "model-a" }))
        {
            warm.EnsureSuccessStatusCode();
        }
        var modelPid = (await serve.Client.GetFromJsonAsync<JsonObject>("/running"))!["running"]!.AsArray().Single()!["pid"]!.GetValue<int>();
        var hung = serve.Client.PostAsJsonAsync("/v1/chat/completions", new { model = "model-a", fake_hang = true });
        await WaitUntilAsync(async () => (await RequestsAsync(serve)).Any(r => r["state"]!.GetValue<string>() == "forwarding"));

        Assert.Equal(0, Signals.Send(serve.Process.Id, Signals.Terminate));
        // The first signal is being handled: a request is in flight and the grace is long.
        await WaitUntilAsync(() => Task.FromResult(serve.Output.Any(l => l.Contains("Shutting down:", StringComparison.Ordinal))));
        Assert.False(serve.Process.HasExited);
        Assert.Equal(0, Signals.Send(serve.Process.Id, Signals.Terminate));

        Assert.True(serve.Process.WaitForExit(TimeSpan.FromMinutes(2)), "a second SIGTERM did not end modelswap");
        Assert.Equal(143, serve.Process.ExitCode);
        Assert.True(await ServeProcessTests.WaitForExitAsync(modelPid, TimeSpan.FromMinutes(2)), "the model outlived a forced exit");
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => hung);
    }

    private static async Task<List<JsonNode>> RequestsAsync(ServeProcess serve)
    {
        var list = await serve.Client.GetFromJsonAsync<JsonObject>("/api/requests");
        return [.. list!["requests"]!.AsArray().Select(r => r!)];
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(20);
        }
    }
}
