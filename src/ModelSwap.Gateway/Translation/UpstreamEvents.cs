using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ModelSwap.Gateway.Translation;

/// <summary>The JSON objects of an upstream's server-sent event stream, up to <c>[DONE]</c>.</summary>
internal static class UpstreamEvents
{
    public static async IAsyncEnumerable<JsonObject> ReadAsync(Stream body, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in SseParser.Create(body).EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            var data = item.Data.Trim();
            if (data == "[DONE]")
            {
                yield break;
            }
            if (data.Length == 0)
            {
                continue;
            }
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(data);
            }
            catch (JsonException ex)
            {
                throw new UpstreamProtocolException($"the model server sent an event that is not JSON: {ex.Message}");
            }
            if (node is JsonObject chunk)
            {
                if (chunk["error"] is { } error)
                {
                    throw new UpstreamProtocolException(UpstreamErrors.Message(error));
                }
                yield return chunk;
            }
        }
    }
}
