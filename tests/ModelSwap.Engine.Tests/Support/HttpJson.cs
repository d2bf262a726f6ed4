using System.Net;
using System.Text;
using System.Text.Json;

namespace ModelSwap.Engine.Tests.Support;

/// <summary>Raw JSON requests, so tests see exactly what goes over the wire.</summary>
internal static class HttpJson
{
    public static async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpClient http, string path, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(path, content);
        return (response.StatusCode, await ReadBodyAsync(response));
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        return (response.StatusCode, await ReadBodyAsync(response));
    }

    private static async Task<JsonElement> ReadBodyAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts an OpenAI error envelope and returns its message.</summary>
    public static string ErrorMessage(JsonElement body, string expectedType = "invalid_request_error")
    {
        var error = body.GetProperty("error");
        Assert.Equal(expectedType, error.GetProperty("type").GetString());
        var message = error.GetProperty("message").GetString();
        Assert.False(string.IsNullOrWhiteSpace(message));
        return message!;
    }
}
