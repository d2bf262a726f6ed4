using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelSwap.Gateway.Hosting;

namespace ModelSwap.Cli.Commands;

/// <summary>
/// `modelswap status`: exit 0 when a ModelSwap answers at the service URL, 3 when nothing does or
/// another program does (named by pid when this machine can tell). `--format json` for scripts.
/// </summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var url = ServiceOptions.Url();
        var format = ServiceOptions.Format();
        var command = new Command("status", "Tell whether the ModelSwap service runs (exit 0) or not (exit 3).") { url, format };
        command.SetAction(async (parse, ct) =>
        {
            var home = ServiceHome.FromEnvironment();
            // The one service-URL rule (--url, MODELSWAP_URL, the recorded service, the default).
            if (ServiceUrl.Resolve(parse.GetValue(url), Console.Error, home: home) is not { Url: var target })
            {
                return ExitCodes.InvalidInput;
            }
            var report = await ProbeAsync(target, ct).ConfigureAwait(false);
            if (parse.GetValue(format) == "json")
            {
                Console.Out.WriteLine(report.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            }
            else
            {
                Console.Out.WriteLine(Describe(report));
            }
            return report["running"]!.GetValue<bool>() ? ExitCodes.Ok : ExitCodes.NotRunning;
        });
        return command;
    }

    /// <summary>What answers at <paramref name="target"/>, as the JSON `--format json` prints.</summary>
    internal static async Task<JsonObject> ProbeAsync(Uri target, CancellationToken cancellationToken)
    {
        var report = new JsonObject { ["running"] = false, ["url"] = target.ToString().TrimEnd('/') };
        using var client = ServiceOptions.Client(target, TimeSpan.FromSeconds(5));
        HttpResponseMessage health;
        try
        {
            health = await client.GetAsync("/health", cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return report;
        }
        using (health)
        {
            if (!health.Headers.TryGetValues(ServiceIdentity.PidHeader, out var pids))
            {
                // Something else answers on the port: say whose it is when /proc can tell.
                report["foreign"] = true;
                if (target.IsLoopback && Service.PortHolder.Find(target.Port) is { } holder)
                {
                    report["pid"] = holder.Pid;
                    report["program"] = holder.Name;
                }
                return report;
            }
            report["running"] = true;
            report["pid"] = int.TryParse(pids.First(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
            report["version"] = Header(health, ServiceIdentity.VersionHeader);
            if (DateTimeOffset.TryParse(Header(health, ServiceIdentity.StartedHeader), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var started))
            {
                report["startedAt"] = started.ToString("O", CultureInfo.InvariantCulture);
                report["uptimeSeconds"] = Math.Max(0, (long)(DateTimeOffset.UtcNow - started).TotalSeconds);
            }
        }
        report["models"] = await CountModelsAsync(client, cancellationToken).ConfigureAwait(false);
        report["loaded"] = await LoadedAsync(client, cancellationToken).ConfigureAwait(false);
        return report;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static async Task<JsonNode?> CountModelsAsync(HttpClient client, CancellationToken cancellationToken)
    {
        try
        {
            var models = await client.GetFromJsonAsync<JsonObject>("/v1/models", cancellationToken).ConfigureAwait(false);
            return models?["data"] is JsonArray data ? data.Count : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static async Task<JsonArray> LoadedAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var loaded = new JsonArray();
        try
        {
            var running = await client.GetFromJsonAsync<JsonObject>("/running", cancellationToken).ConfigureAwait(false);
            foreach (var model in running?["running"] as JsonArray ?? [])
            {
                if (model?["model"] is JsonValue id)
                {
                    loaded.Add(new JsonObject { ["model"] = id.ToString(), ["state"] = model["state"]?.ToString() });
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException)
        {
        }
        return loaded;
    }

    private static string Describe(JsonObject report)
    {
        var url = report["url"]!.ToString();
        if (report["foreign"] is not null)
        {
            var whose = report["pid"] is { } pid ? $"pid {pid}, {report["program"]}" : "a program this user cannot see";
            return $"not running at {url}: another server answers there ({whose}), not ModelSwap";
        }
        if (!report["running"]!.GetValue<bool>())
        {
            return $"not running at {url}";
        }
        var loaded = report["loaded"]!.AsArray().Select(m => m!["model"]!.ToString()).ToArray();
        var uptime = report["uptimeSeconds"] is { } seconds ? $", up {TimeSpan.FromSeconds(seconds.GetValue<long>())}" : "";
        var models = report["models"] is { } count ? $"{count} models" : "models unknown";
        return $"running at {url} (pid {report["pid"]}): {models}, {loaded.Length} loaded"
            + (loaded.Length > 0 ? " (" + string.Join(", ", loaded) + ")" : "") + $"; version {report["version"]}{uptime}";
    }
}
