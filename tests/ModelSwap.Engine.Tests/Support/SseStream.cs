using System.Net;
using System.Text;
using System.Text.Json;

namespace ModelSwap.Engine.Tests.Support;

/// <summary>A streamed completion read event by event: every `data:` payload, and whether `[DONE]` ended it.</summary>
internal sealed record SseStream(List<JsonElement> Events, bool Done)
{
    public static async Task<SseStream> ReadAsync(HttpClient http, string path, string json, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        var events = new List<JsonElement>();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
                continue;
            Assert.StartsWith("data: ", line);
            var data = line["data: ".Length..];
            if (data == "[DONE]")
            {
                Assert.Equal("", (await reader.ReadToEndAsync(cancellationToken)).Trim());
                return new SseStream(events, Done: true);
            }
            events.Add(JsonDocument.Parse(data).RootElement.Clone());
        }
        return new SseStream(events, Done: false);
    }

    /// <summary>The text of a chat stream (delta.content) or a text completion stream (text), in order.</summary>
    public string Text => string.Concat(Events
        .SelectMany(e => e.GetProperty("choices").EnumerateArray())
        .Select(c => c.TryGetProperty("delta", out var delta)
            ? delta.TryGetProperty("content", out var content) ? content.GetString() : ""
            : c.GetProperty("text").GetString()));

    /// <summary>Each token's text as its own chunk (empty pieces excluded).</summary>
    public List<string> Pieces => Events
        .SelectMany(e => e.GetProperty("choices").EnumerateArray())
        .Where(c => c.GetProperty("finish_reason").ValueKind == JsonValueKind.Null)
        .Select(c => c.TryGetProperty("delta", out var delta) ? delta.GetProperty("content").GetString()! : c.GetProperty("text").GetString()!)
        .Where(p => p.Length > 0)
        .ToList();

    public string? FinishReason => Events
        .SelectMany(e => e.GetProperty("choices").EnumerateArray())
        .Select(c => c.GetProperty("finish_reason"))
        .Where(f => f.ValueKind == JsonValueKind.String)
        .Select(f => f.GetString())
        .LastOrDefault();
}
