using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;

using ModelSwap.Testing;

namespace ModelSwap.Gateway.Tests.Functional;

/// <summary>Streams pass through unbuffered; faults end cleanly; TTL unloads.</summary>
public sealed class StreamingAndFaultTests
{
    private static string OneModel(string extra = "", string args = "") => $"""
        models:
          model-a:
            cmd: {GatewayTestHost.FakeCmd("a", args)}
        {extra}
        """;

    private static HttpRequestMessage StreamRequest(int chunks, int delayMs) => new(HttpMethod.Post, "/v1/chat/completions")
    {
        Content = JsonContent.Create(new { model = "model-a", stream = true, fake_chunks = chunks, fake_chunk_delay_ms = delayMs }),
    };

    [Fact]
    public async Task A_stream_arrives_chunk_by_chunk()
    {
        await using var host = await GatewayTestHost.StartAsync(OneModel());
        await host.ChatAsync("model-a"); // warm: the timing below is about streaming, not starting
        const int delayMs = 400;
        using var response = await host.Client.SendAsync(StreamRequest(4, delayMs), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var arrivals = new List<TimeSpan>();
        var clock = Stopwatch.StartNew();
        string? line;
        while ((line = await reader.ReadLineAsync()) is not null)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal) && line.Contains("\"content\":\"chunk", StringComparison.Ordinal))
            {
                arrivals.Add(clock.Elapsed);
            }
        }
        Assert.Equal(4, arrivals.Count);
        // The upstream waits delayMs before each chunk; a buffering proxy would deliver them together.
        for (var i = 1; i < arrivals.Count; i++)
        {
            Assert.True(arrivals[i] - arrivals[i - 1] > TimeSpan.FromMilliseconds(delayMs / 2),
                $"chunk {i} arrived {(arrivals[i] - arrivals[i - 1]).TotalMilliseconds} ms after chunk {i - 1}: the stream was buffered");
        }
    }

    [Fact]
    public async Task Killing_the_upstream_mid_stream_ends_the_client_stream_and_the_next_request_restarts_it()
    {
        await using var host = await GatewayTestHost.StartAsync(OneModel());
        var pid = await host.PidOfAsync("model-a");
        using var response = await host.Client.SendAsync(StreamRequest(50, 200), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var first = await reader.ReadLineAsync();
        Assert.StartsWith("data: ", first);
        Process.GetProcessById(pid).Kill();

        var ended = Task.Run(async () =>
        {
            try
            {
                while (await reader.ReadLineAsync() is not null)
                {
                }
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException)
            {
                // an aborted stream is a fine ending too: the point is that it ends
            }
        });
        await ended.WaitAsync(TimeSpan.FromMinutes(2));
        Assert.True(await ProcessProbe.WaitForExitAsync(pid, TimeSpan.FromMinutes(2)));

        await SwappingTests.WaitUntilAsync(async () => (await host.RunningAsync()).Count == 0);
        var newPid = await host.PidOfAsync("model-a");
        Assert.NotEqual(pid, newPid);
    }

    [Fact]
    public async Task Ttl_unloads_the_model_after_its_last_request()
    {
        await using var host = await GatewayTestHost.StartAsync(OneModel(extra: "    ttl: 2"));
        var pid = await host.PidOfAsync("model-a");
        Assert.Equal(["model-a"], await host.RunningAsync());
        Assert.True(await ProcessProbe.WaitForExitAsync(pid, TimeSpan.FromMinutes(2)), "TTL should have unloaded the model");
        await SwappingTests.WaitUntilAsync(async () => (await host.RunningAsync()).Count == 0);
    }

    [Fact]
    public async Task Logs_hold_the_upstream_output_and_the_stream_follows_live()
    {
        await using var host = await GatewayTestHost.StartAsync(OneModel());
        await host.ChatAsync("model-a");
        var logs = await host.Client.GetStringAsync("/logs");
        Assert.Contains("fake upstream a starting", logs);

        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var response = await host.Client.GetAsync("/logs/stream", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        using (var unload = await host.Client.PostAsync("/unload", null))
        {
            Assert.Equal(HttpStatusCode.OK, unload.StatusCode);
        }
        await host.ChatAsync("model-a"); // a new start writes new lines
        var seen = new StringBuilder();
        var starts = 0;
        while (starts < 2 && await reader.ReadLineAsync(cts.Token) is { } line)
        {
            seen.AppendLine(line);
            if (line.Contains("fake upstream a starting", StringComparison.Ordinal))
            {
                starts++;
            }
        }
        Assert.Equal(2, starts);
    }
}
