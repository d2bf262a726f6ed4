using System.CommandLine;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelSwap.Gateway.Hosting;
using ModelSwap.Gateway.Management;

namespace ModelSwap.Cli.Commands;

/// <summary>
/// `modelswap status`: exit 0 when a ModelSwap answers at the service URL, 3 when nothing does or
/// another program does (named by pid when this machine can tell). `--format json` for scripts.
/// A ModelSwap is told from another server by /health's pid header; everything else comes from the
/// typed management status, GET /api/status (one source for the CLI and the dashboard).
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
        using var client = ServiceOptions.Client(target);
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
            // From the /health headers first: they stand when /api/status cannot be read (a key it lacks).
            report["pid"] = int.TryParse(pids.First(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null;
            report["version"] = Header(health, ServiceIdentity.VersionHeader);
        }
        var status = await ReadStatusAsync(client, report, cancellationToken).ConfigureAwait(false);
        if (status is not null)
        {
            report["pid"] = status.Pid;
            report["version"] = status.Version;
            report["startedAt"] = status.StartedAt.ToString("O", CultureInfo.InvariantCulture);
            report["uptimeSeconds"] = Math.Max(0, (long)status.UptimeSeconds);
            report["config"] = status.Config;
            report["models"] = status.Models;
            report["ready"] = status.Loaded;
            report["loaded"] = new JsonArray([.. status.Running.Select(m => (JsonNode)new JsonObject { ["model"] = m.Model, ["state"] = m.State })]);
        }
        else
        {
            report["models"] = null;
            report["loaded"] = new JsonArray();
        }
        return report;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>The typed management status (GET /api/status); null, with the reason in the report, when it cannot be read.</summary>
    private static async Task<ServiceStatusView?> ReadStatusAsync(HttpClient client, JsonObject report, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetAsync("/api/status", cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
            {
                report["error"] = "the service wants an API key: set MODELSWAP_API_KEYS to one of its keys";
                return null;
            }
            if (!response.IsSuccessStatusCode)
            {
                report["error"] = $"/api/status answered {(int)response.StatusCode}";
                return null;
            }
            return await response.Content.ReadFromJsonAsync<ServiceStatusView>(JsonSerializerOptions.Web, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or NotSupportedException)
        {
            report["error"] = $"/api/status could not be read: {ex.Message}";
            return null;
        }
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
        if (report["models"] is not { } count)
        {
            return $"running at {url} (pid {report["pid"]}); version {report["version"]}; details unknown: {report["error"]}";
        }
        return $"running at {url} (pid {report["pid"]}): {count} models, {loaded.Length} loaded"
            + (loaded.Length > 0 ? " (" + string.Join(", ", loaded) + ")" : "") + $"; version {report["version"]}{uptime}";
    }
}
