using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ModelSwap.Cli.Chat;

/// <summary>Talks to the service's Ollama /api/chat, streaming the answer token by token.</summary>
internal sealed class ChatClient(HttpClient http)
{
    public Uri BaseAddress => http.BaseAddress!;

    /// <summary>Loads the model (Ollama's empty chat) so the first answer does not wait for it.</summary>
    public async Task LoadAsync(string model, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/api/chat", new JsonObject { ["model"] = model, ["messages"] = new JsonArray() },
            cancellationToken).ConfigureAwait(false);
        await ThrowIfFailedAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Streams the answer to <paramref name="onText"/>; returns the whole answer.</summary>
    public async Task<string> ChatAsync(string model, IReadOnlyList<JsonObject> messages, JsonObject options, Action<string> onText,
        CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["model"] = model,
            ["messages"] = new JsonArray([.. messages.Select(m => (JsonNode?)m.DeepClone())]),
            ["options"] = options.DeepClone(),
            ["stream"] = true,
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/chat") { Content = JsonContent.Create(body) };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        await ThrowIfFailedAsync(response, cancellationToken).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var answer = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }
            var chunk = JsonNode.Parse(line) as JsonObject ?? throw new ChatException("the service sent a line that is not a JSON object");
            if (chunk["error"] is { } error)
            {
                throw new ChatException(error.ToString());
            }
            var text = chunk["message"]?["content"]?.GetValue<string>() ?? "";
            if (text.Length > 0)
            {
                answer.Append(text);
                onText(text);
            }
            if (chunk["done"]?.GetValue<bool>() == true)
            {
                break;
            }
        }
        return answer.ToString();
    }

    private static async Task ThrowIfFailedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string message;
        try
        {
            message = JsonNode.Parse(text)?["error"] switch
            {
                JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
                JsonObject o => o["message"]?.ToString() ?? text,
                _ => text,
            };
        }
        catch (JsonException)
        {
            message = text.Length == 0 ? $"HTTP {(int)response.StatusCode}" : text;
        }
        throw new ChatException(message);
    }
}
