using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ModelSwap.Hub.Store;

namespace ModelSwap.Cli.Commands;

/// <summary>
/// Asks a running service which of its loaded models hold a model's files (their command lines name
/// them), so `models rm` never deletes a file under a running server. No service: nobody holds it.
/// </summary>
internal static class RunningModelUsers
{
    public static async Task<IReadOnlyList<string>> FindAsync(Uri url, LocalModel model, CancellationToken cancellationToken)
    {
        using var client = ServiceOptions.Client(url, TimeSpan.FromSeconds(3));
        JsonObject? running;
        try
        {
            running = await client.GetFromJsonAsync<JsonObject>("/running", cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (ex.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
        {
            // A service runs but will not say what it holds: deleting blind could pull a file from under it.
            throw new ModelStoreException(ModelStoreError.InUse,
                $"the service at {url} needs an API key to say which models it has loaded; set MODELSWAP_API_KEYS");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
        {
            return [];
        }
        var files = model.Files.Append(model.Path).Select(Path.GetFullPath).ToHashSet(StringComparer.Ordinal);
        return running?["running"]?.AsArray()
            .Where(r => r?["cmd"] is JsonArray cmd && cmd.Any(a => a?.GetValue<string>() is { } shown
                && ExpandEnvMacros(shown) is var arg
                && Path.IsPathFullyQualified(arg) && files.Contains(Path.GetFullPath(arg))))
            .Select(r => r!["model"]!.GetValue<string>())
            .ToArray() ?? [];
    }

    public static async Task UnloadAsync(Uri url, IReadOnlyList<string> models, CancellationToken cancellationToken)
    {
        if (models.Count == 0)
        {
            return;
        }
        using var client = ServiceOptions.Client(url, TimeSpan.FromMinutes(5));
        foreach (var id in models)
        {
            using var response = await client.PostAsync($"/api/models/unload/{id}", null, cancellationToken).ConfigureAwait(false);
            response.EnsureSuccessStatusCode();
            Console.Error.WriteLine($"unloaded {id}");
        }
    }

    /// <summary>/running shows values that came from ${env.NAME} as that reference; this user's environment fills them back in.</summary>
    private static string ExpandEnvMacros(string text) =>
        System.Text.RegularExpressions.Regex.Replace(text, @"\$\{env\.([A-Za-z_][A-Za-z0-9_]*)\}",
            m => Environment.GetEnvironmentVariable(m.Groups[1].Value) ?? m.Value);
}
