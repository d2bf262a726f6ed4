using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ModelSwap.Gateway.Swapping;

namespace ModelSwap.Cli.Commands;

/// <summary>`modelswap ps`: the models the running service (found by <see cref="ServiceUrl"/>'s rule) has loaded.</summary>
internal static class PsCommand
{
    public static Command Create()
    {
        var url = ServiceOptions.Url();
        var format = ServiceOptions.Format();
        var command = new Command("ps", "List the models the running service has loaded.") { url, format };
        command.SetAction(async (parse, ct) =>
        {
            if (ServiceUrl.Resolve(parse.GetValue(url), Console.Error) is not { } service)
            {
                return ExitCodes.InvalidInput;
            }
            using var client = new ManagementClient(service);
            IReadOnlyList<Gateway.Management.ModelInfo> models;
            try
            {
                models = [.. (await client.ListAsync(ct).ConfigureAwait(false)).Where(m => m.Served && m.Live.State != ModelState.Stopped)];
            }
            catch (ServiceUnreachableException)
            {
                Console.Error.WriteLine($"error: ModelSwap is not answering at {service}");
                return ExitCodes.NotRunning;
            }
            catch (ServiceErrorException ex)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return ExitCodes.Failure;
            }
            var expiries = await ExpiriesAsync(service, ct).ConfigureAwait(false);
            var now = DateTimeOffset.UtcNow;
            if (parse.GetValue(format) == "json")
            {
                var rows = new JsonArray([.. models.Select(m => (JsonNode)new JsonObject
                {
                    ["model"] = m.Id,
                    ["state"] = m.Live.State.ToString().ToLowerInvariant(),
                    ["pid"] = m.Live.Pid,
                    ["port"] = m.Live.Port,
                    ["inFlight"] = m.Live.InFlight,
                    ["queued"] = m.Live.Queued,
                    ["progress"] = m.Live.LoadPercent,
                    ["residentBytes"] = m.Live.ResidentBytes,
                    ["peakBytes"] = m.Live.PeakBytes,
                    ["estimatedBytes"] = m.Live.EstimatedBytes,
                    ["gpuBytes"] = m.Live.GpuBytes,
                    ["loadProgress"] = m.Live.LoadProgress,
                    ["startedAt"] = m.Live.StartedAt,
                    ["processor"] = Processor(expiries.GetValueOrDefault(m.Id)),
                    ["until"] = expiries.GetValueOrDefault(m.Id)?.ExpiresAt,
                })]);
                Console.Out.WriteLine(rows.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
                return ExitCodes.Ok;
            }
            // Ollama's columns: SIZE is the resident memory of the model's process tree, PROCESSOR where it
            // runs, UNTIL when it unloads if it stays idle (its TTL or a client's keep_alive); ESTIMATE is
            // what the memory budget expected it to need.
            var table = new TextTable("NAME", "SIZE", "PROCESSOR", "UNTIL", "STATE", "PID", "ESTIMATE");
            foreach (var model in models)
            {
                var live = model.Live;
                var running = expiries.GetValueOrDefault(model.Id);
                // "starting 42%" while a server reports its load progress.
                var state = live.State == ModelState.Starting && live.LoadPercent is { } percent
                    ? $"starting {percent}%"
                    : live.State.ToString().ToLowerInvariant();
                table.Add(model.Id,
                    live.ResidentBytes is { } bytes ? ModelsCommand.FormatBytes(bytes) : null,
                    Processor(running),
                    Until(running?.ExpiresAt, live.InFlight, now),
                    state,
                    live.Pid?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    live.EstimatedBytes is { } estimate ? ModelsCommand.FormatBytes(estimate) : null);
            }
            if (table.Count == 0)
            {
                Console.Error.WriteLine($"no models loaded at {service}");
                return ExitCodes.Ok;
            }
            table.WriteTo(Console.Out);
            return ExitCodes.Ok;
        });
        return command;
    }

    private sealed record Running(DateTimeOffset? ExpiresAt, long SizeVram, long Size);

    /// <summary>The idle countdowns (Ollama's /api/ps on the same service), by model id; empty when it cannot say.</summary>
    private static async Task<Dictionary<string, Running>> ExpiriesAsync(ServiceUrl service, CancellationToken ct)
    {
        var result = new Dictionary<string, Running>(StringComparer.Ordinal);
        using var client = ServiceOptions.Client(service.Url);
        try
        {
            var ps = await client.GetFromJsonAsync<JsonObject>("/api/ps", ct).ConfigureAwait(false);
            foreach (var model in ps?["models"]?.AsArray().OfType<JsonObject>() ?? [])
            {
                var name = model["model"]?.GetValue<string>() ?? "";
                var expires = DateTimeOffset.TryParse(model["expires_at"]?.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.AssumeUniversal, out var at) ? at : (DateTimeOffset?)null;
                var running = new Running(expires, model["size_vram"]?.GetValue<long>() ?? 0, model["size"]?.GetValue<long>() ?? 0);
                result[name] = running;
                if (name.EndsWith(":latest", StringComparison.Ordinal))
                {
                    result[name[..^":latest".Length]] = running;
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Text.Json.JsonException or InvalidOperationException)
        {
            // An older service without Ollama's API: the other columns still stand.
        }
        return result;
    }

    /// <summary>"100% CPU", "100% GPU" or "30%/70% CPU/GPU", as Ollama prints it.</summary>
    private static string Processor(Running? running)
    {
        if (running is null || running.Size <= 0)
        {
            return "-";
        }
        var gpu = (int)Math.Round(100.0 * Math.Min(running.SizeVram, running.Size) / running.Size);
        return gpu switch
        {
            0 => "100% CPU",
            100 => "100% GPU",
            _ => $"{100 - gpu}%/{gpu}% CPU/GPU",
        };
    }

    private static string Until(DateTimeOffset? expires, int inFlight, DateTimeOffset now)
    {
        if (inFlight > 0)
        {
            return "in use";
        }
        if (expires is not { } at)
        {
            return "-";
        }
        if (at.Year >= 2300)
        {
            return "Forever";
        }
        var left = at - now;
        return left <= TimeSpan.Zero ? "now"
            : left < TimeSpan.FromMinutes(1) ? $"{(int)left.TotalSeconds} seconds from now"
            : left < TimeSpan.FromHours(1) ? $"{(int)left.TotalMinutes} minutes from now"
            : left < TimeSpan.FromDays(1) ? $"{(int)left.TotalHours} hours from now"
            : $"{(int)left.TotalDays} days from now";
    }
}
