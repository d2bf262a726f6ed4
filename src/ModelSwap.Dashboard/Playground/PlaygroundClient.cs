using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ModelSwap.Dashboard.Playground;

/// <summary>
/// The Playground's OpenAI client: it calls this gateway's own /v1 routes over HTTP, like any client,
/// so a Playground chat starts, swaps and is recorded exactly like an outside request.
/// </summary>
internal sealed class PlaygroundClient(HttpClient http, GatewayAddress address, CircuitCredential credential)
{
    /// <summary>Streams a chat answer; ends with one update whose Done is set. Throws <see cref="GatewayApiException"/>.</summary>
    public async IAsyncEnumerable<ChatStreamUpdate> StreamChatAsync(ChatSettings settings, IReadOnlyList<ChatMessage> messages,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["model"] = settings.Model,
            ["stream"] = true,
            ["stream_options"] = new JsonObject { ["include_usage"] = true },
            ["temperature"] = settings.Temperature,
            ["max_tokens"] = settings.MaxTokens,
            ["messages"] = Messages(settings, messages),
        };
        if (settings.Stop.Count > 0)
        {
            body["stop"] = new JsonArray([.. settings.Stop.Select(s => (JsonNode)JsonValue.Create(s))]);
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address.BaseUrl, "v1/chat/completions"))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        Authorize(request);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await ThrowIfFailedAsync(response, cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
        int? tokens = null;
        double? rate = null;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (!line.StartsWith("data:", StringComparison.Ordinal))
            {
                continue;
            }
            var data = line[5..].Trim();
            if (data == "[DONE]")
            {
                break;
            }
            JsonNode? chunk;
            try
            {
                chunk = JsonNode.Parse(data);
            }
            catch (JsonException ex)
            {
                throw new GatewayApiException(200, $"the model's stream is not JSON: {ex.Message}");
            }
            if (chunk?["error"]?["message"]?.GetValue<string>() is { } error)
            {
                throw new GatewayApiException(200, error);
            }
            tokens = chunk?["usage"]?["completion_tokens"]?.GetValue<int>() ?? chunk?["timings"]?["predicted_n"]?.GetValue<int>() ?? tokens;
            rate = chunk?["timings"]?["predicted_per_second"]?.GetValue<double>() ?? rate;
            // The closing usage chunk has no choices at all.
            var text = chunk?["choices"] is JsonArray { Count: > 0 } choices ? choices[0]?["delta"]?["content"]?.GetValue<string>() : null;
            if (!string.IsNullOrEmpty(text))
            {
                yield return new ChatStreamUpdate(text);
            }
        }
        yield return new ChatStreamUpdate("", Done: true, tokens, rate);
    }

    /// <summary>Embeds two texts in one request and returns both vectors.</summary>
    public async Task<(float[] First, float[] Second)> EmbedPairAsync(string model, string first, string second, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["model"] = model, ["input"] = new JsonArray(first, second) };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(address.BaseUrl, "v1/embeddings"))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        Authorize(request);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await ThrowIfFailedAsync(response, cancellationToken).ConfigureAwait(false);
        using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false),
            cancellationToken: cancellationToken).ConfigureAwait(false);
        var vectors = document.RootElement.GetProperty("data").EnumerateArray()
            .OrderBy(item => item.TryGetProperty("index", out var index) ? index.GetInt32() : 0)
            .Select(item => item.GetProperty("embedding").EnumerateArray().Select(v => v.GetSingle()).ToArray())
            .ToList();
        if (vectors.Count != 2)
        {
            throw new GatewayApiException(200, $"the model answered {vectors.Count} vectors for 2 texts");
        }
        return (vectors[0], vectors[1]);
    }

    /// <summary>The names a client may use (each listed model's id and aliases), as /v1/models lists them.</summary>
    public async Task<IReadOnlyList<string>> ListModelNamesAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(address.BaseUrl, "v1/models"));
        Authorize(request);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        await ThrowIfFailedAsync(response, cancellationToken).ConfigureAwait(false);
        var root = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        var names = new List<string>();
        foreach (var model in root?["data"]?.AsArray() ?? [])
        {
            if (model?["id"]?.GetValue<string>() is { } id)
            {
                names.Add(id);
            }
            names.AddRange((model?["aliases"]?.AsArray() ?? []).Select(a => a?.GetValue<string>()).OfType<string>());
        }
        return names;
    }

    /// <summary>With keys set, the call carries the key of the person using the dashboard (never stored in the page).</summary>
    private void Authorize(HttpRequestMessage request)
    {
        if (credential.Key is { } key)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
    }

    private static JsonArray Messages(ChatSettings settings, IReadOnlyList<ChatMessage> messages)
    {
        var array = new JsonArray();
        if (!string.IsNullOrWhiteSpace(settings.SystemPrompt))
        {
            array.Add(new JsonObject { ["role"] = "system", ["content"] = settings.SystemPrompt });
        }
        foreach (var message in messages)
        {
            array.Add(new JsonObject { ["role"] = message.Role, ["content"] = message.Content });
        }
        return array;
    }

    /// <summary>Turns an error answer into the server's own message (the OpenAI envelope's error.message).</summary>
    private static async Task ThrowIfFailedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string? message = null;
        try
        {
            message = JsonNode.Parse(text)?["error"]?["message"]?.GetValue<string>();
        }
        catch (JsonException)
        {
        }
        throw new GatewayApiException((int)response.StatusCode,
            message ?? $"HTTP {(int)response.StatusCode}: {(text.Length > 300 ? text[..300] : text)}");
    }
}
