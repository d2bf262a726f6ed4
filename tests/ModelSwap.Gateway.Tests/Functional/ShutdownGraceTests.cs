using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using ModelSwap.Gateway.Hosting;
using ModelSwap.Testing;

namespace ModelSwap.Gateway.Tests.Functional;

/// <summary>
/// The shutdown grace running out, in process: a stream longer than the grace is ended when it runs
/// out, requests still waiting for a model were answered 503 at once, and the host stops cleanly with
/// every model stopped. The grace's clock is a fake one, stepped by the test, so no sleep and no
/// wall-clock limit decides the outcome.
/// </summary>
public sealed class ShutdownGraceTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task A_stream_longer_than_the_grace_is_ended_and_queued_requests_get_503()
    {
        var clock = new FakeTimeProvider();
        // model-b never gets ready, so its requests stay queued; the group lets both run side by side.
        var host = await GatewayTestHost.StartAsync($"""
            models:
              model-a:
                cmd: {GatewayTestHost.FakeCmd("a")}
              model-b:
                cmd: {GatewayTestHost.FakeCmd("b", "--ready-delay 600000")}
            groups:
              together:
                swap: false
                members: [model-a, model-b]
            """, configureServices: services => services.Replace(ServiceDescriptor.KeyedSingleton<TimeProvider>(GracefulShutdown.ClockKey, clock)),
            shutdownGrace: Grace);
        Task? stopping = null;
        try
        {
            var modelPid = await host.PidOfAsync("model-a");
            // One chunk, then silence: a stream that would outlast any grace.
            using var stream = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
            {
                Content = JsonContent.Create(new { model = "model-a", stream = true, fake_hang = true, fake_hang_after_chunks = 1 }),
            };
            using var streaming = await host.Client.SendAsync(stream, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, streaming.StatusCode);
            var body = new StreamReader(await streaming.Content.ReadAsStreamAsync());
            Assert.StartsWith("data:", await body.ReadLineAsync());
            var queued = Enumerable.Range(0, 3).Select(_ => host.Client.PostAsJsonAsync("/v1/chat/completions", new { model = "model-b" })).ToList();
            await SwappingTests.WaitUntilAsync(async () => (await StatesAsync(host)).Count(s => s == "queued") == 3, seconds: 120);

            stopping = host.App.StopAsync();

            foreach (var request in queued)
            {
                using var response = await request;
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.Equal("shutting_down", (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>());
            }
            // The grace has not run out on its clock: the stream is still open and the host still stopping.
            Assert.False(stopping.IsCompleted, "the host stopped before the grace ran out");
            var rest = ReadRestAsync(body);
            Assert.False(rest.IsCompleted, "the stream ended before the grace ran out");

            // Step the grace's clock past its end (again on each poll: the timer may be armed a moment after the 503s).
            await SwappingTests.WaitUntilAsync(() =>
            {
                clock.Advance(Grace);
                return Task.FromResult(rest.IsCompleted);
            }, seconds: 120);
            await stopping.WaitAsync(TimeSpan.FromMinutes(2));
            Assert.Contains(host.App.Services.GetRequiredService<GatewayLogs>().Proxy.Snapshot(),
                l => l.Contains("ended 1 requests still in flight after the 600 s grace period", StringComparison.Ordinal));
            Assert.True(await ProcessProbe.WaitForExitAsync(modelPid, TimeSpan.FromMinutes(2)), "model-a outlived the shutdown");
        }
        finally
        {
            // Also after a failed assertion: stop, stepping the grace's clock so the stop never waits on it.
            stopping ??= host.App.StopAsync();
            while (!stopping.IsCompleted)
            {
                clock.Advance(Grace);
                await Task.WhenAny(stopping, Task.Delay(100));
            }
            await host.DisposeAsync();
        }
    }

    /// <summary>The rest of the stream: it ends cleanly or is cut (both are an end).</summary>
    private static async Task ReadRestAsync(StreamReader body)
    {
        try
        {
            await body.ReadToEndAsync();
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
        }
    }

    private static async Task<List<string>> StatesAsync(GatewayTestHost host)
    {
        var list = await host.Client.GetFromJsonAsync<JsonObject>("/api/requests");
        return [.. list!["requests"]!.AsArray().Select(r => r!["state"]!.GetValue<string>())];
    }
}
