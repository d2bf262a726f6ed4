using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using ModelSwap.Gateway.Management;

namespace ModelSwap.Cli.Commands;

/// <summary>
/// The CLI's side of the management API: typed calls to a running service (the records are the
/// gateway's own, so both sides agree on the shape). A service that does not answer is
/// <see cref="ServiceUnreachableException"/>; an error answer is <see cref="ServiceErrorException"/>
/// carrying the envelope's message.
/// </summary>
internal sealed class ManagementClient : IDisposable
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    private readonly HttpClient _http;

    public ManagementClient(ServiceUrl url, TimeSpan? timeout = null)
    {
        Url = url;
        _http = ServiceOptions.Client(url.Url, timeout);
    }

    public ServiceUrl Url { get; }

    public Task<IReadOnlyList<ModelInfo>> ListAsync(CancellationToken ct) => SendAsync<IReadOnlyList<ModelInfo>>(HttpMethod.Get, "/api/models", ct);

    /// <summary>The model, or null when the service has none of that name.</summary>
    public async Task<ModelInfo?> FindAsync(string model, CancellationToken ct)
    {
        try
        {
            return await SendAsync<ModelInfo>(HttpMethod.Get, ModelPath(model), ct).ConfigureAwait(false);
        }
        catch (ServiceErrorException ex) when (ex.Status == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task<ModelInfo> UnloadAsync(string model, CancellationToken ct) => SendAsync<ModelInfo>(HttpMethod.Post, ModelPath(model) + "/unload", ct);

    public Task<DeleteOutcome> DeleteAsync(string model, CancellationToken ct) => SendAsync<DeleteOutcome>(HttpMethod.Delete, ModelPath(model), ct);

    /// <summary>llama-swap's /unload: every model.</summary>
    public Task UnloadAllAsync(CancellationToken ct) => SendAsync<JsonNode?>(HttpMethod.Post, "/unload", ct, text: true);

    /// <summary>Ids keep their <c>/</c> (the API takes them raw); everything else is escaped.</summary>
    private static string ModelPath(string model) => "/api/models/" + Uri.EscapeDataString(model).Replace("%2F", "/", StringComparison.Ordinal);

    private async Task<T> SendAsync<T>(HttpMethod method, string path, CancellationToken ct, bool text = false)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(new HttpRequestMessage(method, path), ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new ServiceUnreachableException($"no ModelSwap service answers at {Url}: {ex.Message}", ex);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                throw new ServiceErrorException(response.StatusCode, MessageOf(body) ?? $"HTTP {(int)response.StatusCode}: {body}");
            }
            if (text)
            {
                return default!;
            }
            try
            {
                return (await response.Content.ReadFromJsonAsync<T>(Json, ct).ConfigureAwait(false))!;
            }
            catch (JsonException ex)
            {
                throw new ServiceUnreachableException($"the service at {Url} did not answer like ModelSwap ({ex.Message}); is it an older version?", ex);
            }
        }
    }

    internal static string? MessageOf(string body)
    {
        try
        {
            return JsonNode.Parse(body)?["error"]?["message"]?.GetValue<string>();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    public void Dispose() => _http.Dispose();
}
