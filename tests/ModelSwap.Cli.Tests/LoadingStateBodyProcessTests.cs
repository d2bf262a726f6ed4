using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using ModelSwap.Testing;
using Xunit.Abstractions;

namespace ModelSwap.Cli.Tests;

/// <summary>
/// A sendLoadingState model finds `stream` in the streamed model scan and forwards the spooled body,
/// measured on a real `modelswap serve` process: a chunked 64 MiB body that is one string reaches the
/// model whole — relayed behind the loading messages while the model starts, forwarded once it is
/// ready — while the gateway's peak resident memory rises by less than 32 MiB.
/// </summary>
public sealed class LoadingStateBodyProcessTests(ITestOutputHelper output)
{
    private const long Limit = 100L * 1024 * 1024;
    private const int Text = 64 * 1024 * 1024;
    private const long Bound = 32L * 1024 * 1024;

    [Fact]
    public async Task A_64_MiB_string_to_a_sendLoadingState_model_keeps_memory_flat()
    {
        await using var serve = await ServeProcess.StartAsync($"""
            maxRequestBodySize: {Limit}
            sendLoadingState: true
            models:
              slow:
                cmd: {ServeProcess.FakeCmd("slow")} --ready-delay 1000
            """);
        var pid = serve.Process.Id;
        // Warm up both paths (the loading relay and the forwarder, a spooled file each) with 1 MiB.
        Assert.True((await SendAsync(serve, 1024 * 1024)).Loading);
        Assert.False((await SendAsync(serve, 1024 * 1024)).Loading);
        await UnloadAsync(serve);

        ResetPeak(pid);
        var baseline = Status(pid, "VmRSS");
        var relayed = await SendAsync(serve, Text);
        var relayPeak = Status(pid, "VmHWM");

        ResetPeak(pid);
        var readyBaseline = Status(pid, "VmRSS");
        var forwarded = await SendAsync(serve, Text);
        var forwardPeak = Status(pid, "VmHWM");

        Assert.True(relayed.Loading, "the model was starting: the loading messages came first");
        Assert.False(forwarded.Loading, "the model was ready: forwarded as it came");
        var rises = $"relayed: {(relayPeak - baseline) >> 20} MiB over {baseline >> 20} MiB; forwarded: {(forwardPeak - readyBaseline) >> 20} MiB over {readyBaseline >> 20} MiB";
        output.WriteLine(rises);
        Assert.True(relayPeak - baseline < Bound, $"peak RSS rise for a {Text >> 20} MiB body: {rises}");
        Assert.True(forwardPeak - readyBaseline < Bound, $"peak RSS rise for a {Text >> 20} MiB body: {rises}");
    }

    /// <summary>
    /// Sends, chunked, a streaming chat whose one message is a string of <paramref name="length"/> bytes;
    /// returns whether loading messages came and checks the model parsed the whole body (it counts the messages).
    /// </summary>
    private static async Task<(bool Loading, string Content)> SendAsync(ServeProcess serve, long length)
    {
        using var content = new StreamContent(new GeneratedBody(
            """{"model":"slow","stream":true,"fake_count_messages":true,"messages":[{"role":"user","content":" """u8.ToArray(), length, "\"}]}"u8.ToArray()));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await serve.Client.PostAsync("/v1/chat/completions", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        var chunks = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e.Trim())
            .Where(e => e != "data: [DONE]").Select(e => JsonNode.Parse(e["data: ".Length..])!).ToList();
        Assert.DoesNotContain(chunks, c => c["error"] is not null);
        var answer = string.Concat(chunks.Select(c => c["choices"]?[0]?["delta"]?["content"]?.GetValue<string>()));
        Assert.Equal("messages=1 chunk1 chunk2 ", answer);
        return (chunks.Any(c => c["choices"]?[0]?["delta"]?["reasoning_content"] is not null), answer);
    }

    private static async Task UnloadAsync(ServeProcess serve)
    {
        using var response = await serve.Client.PostAsync("/unload", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Resets the process's peak resident size (VmHWM) to its current size (Linux clear_refs 5).</summary>
    private static void ResetPeak(int pid) => File.WriteAllText($"/proc/{pid}/clear_refs", "5");

    /// <summary>A field of /proc/PID/status in bytes (VmRSS now, VmHWM the peak).</summary>
    private static long Status(int pid, string field)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }
}
