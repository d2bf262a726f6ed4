using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ModelSwap.Core.Configuration;
using ModelSwap.Testing;
using Xunit.Abstractions;

namespace ModelSwap.Cli.Tests;

/// <summary>
/// Issue 9's bound, measured on a real `modelswap serve` process at the default body limit: 8
/// concurrent chunked bodies of exactly 100 MiB, each one long string, reach their models whole —
/// half through a sendLoadingState model (stream found by the scan, the spooled body forwarded or
/// relayed), half rewritten for useModelName and filters — while the gateway's peak resident memory
/// rises by less than 96 MiB (it was sent 792; measured +51).
/// </summary>
public sealed class ConcurrentBodiesProcessTests(ITestOutputHelper output)
{
    private const long Limit = ModelSwapConfig.DefaultMaxRequestBodySize;
    private const long Bound = 96L * 1024 * 1024;

    [Fact]
    public async Task Eight_default_limit_bodies_through_loading_and_filtered_models_keep_memory_flat()
    {
        await using var serve = await ServeProcess.StartAsync($"""
            models:
              loading:
                cmd: {ServeProcess.FakeCmd("loading")} --count-body --ready-delay 1000
                sendLoadingState: true
              filtered:
                cmd: {ServeProcess.FakeCmd("filtered")} --count-body
                useModelName: upstream-f
                filters:
                  stripParams: "temperature"
            """);
        var pid = serve.Process.Id;
        // Warm up every path a body takes (scan, spool, rewrite, relay, forward), then stop the models.
        await SendAsync(serve, "loading", 1024 * 1024);
        await SendAsync(serve, "loading", 1024 * 1024);
        await SendAsync(serve, "filtered", 1024 * 1024);
        using (var unload = await serve.Client.PostAsync("/unload", null))
        {
            Assert.Equal(HttpStatusCode.OK, unload.StatusCode);
        }
        File.WriteAllText($"/proc/{pid}/clear_refs", "5"); // the peak (VmHWM) starts again from here
        var baseline = Status(pid, "VmRSS");

        // Exactly the limit, chunked: only data bytes count (BodyLimitEdgeTests has the byte over).
        var length = Limit;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => SendAsync(serve, i % 2 == 0 ? "loading" : "filtered", length)));

        var peak = Status(pid, "VmHWM");
        var rise = $"peak RSS rose {(peak - baseline) >> 20} MiB over {baseline >> 20} MiB for 8 concurrent {length >> 20} MiB bodies";
        output.WriteLine(rise);
        Assert.True(peak - baseline < Bound, rise);
    }

    /// <summary>Sends, chunked, a chat whose messages are one string of <paramref name="length"/> bytes; checks the model got it whole.</summary>
    private static async Task SendAsync(ServeProcess serve, string model, long length)
    {
        var streams = model == "loading";
        var head = Encoding.UTF8.GetBytes($$"""{"model":"{{model}}","stream":{{(streams ? "true" : "false")}},"temperature":0.5,"messages":" """);
        var tail = "\"}"u8.ToArray();
        using var content = new StreamContent(new GeneratedBody(head, length - head.Length - tail.Length, tail));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await serve.Client.PostAsync("/v1/chat/completions", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{model}, {length} bytes: {text}");
        var fake = streams
            ? text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e.Trim()).Where(e => e.StartsWith("data: {", StringComparison.Ordinal))
                .Select(e => JsonNode.Parse(e["data: ".Length..])!["fake"]).Single(f => f is not null)!
            : JsonNode.Parse(text)!["fake"]!;
        var received = fake["bytes"]!.GetValue<long>();
        if (streams)
        {
            Assert.Equal(length, received);
            Assert.StartsWith("""{"model":"loading","stream":true""", fake["head"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        else
        {
            // Rewritten: "model" renamed, "temperature" dropped, the string whole.
            Assert.Equal(length + "upstream-f".Length - "filtered".Length - ",\"temperature\":0.5".Length, received);
            Assert.StartsWith("""{"model":"upstream-f","stream":false,"messages":" x""", fake["head"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    /// <summary>A field of /proc/PID/status in bytes (VmRSS now, VmHWM the peak).</summary>
    private static long Status(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }
}
