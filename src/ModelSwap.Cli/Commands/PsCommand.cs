using System.CommandLine;
using System.Text.Json.Nodes;
using ModelSwap.Gateway.Swapping;
using Spectre.Console;

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
                    ["residentBytes"] = m.Live.ResidentBytes,
                    ["startedAt"] = m.Live.StartedAt,
                })]);
                Console.Out.WriteLine(rows.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
                return ExitCodes.Ok;
            }
            var table = new Table().AddColumns("MODEL", "STATE", "PID", "PORT", "MEMORY", "IN FLIGHT", "QUEUED");
            foreach (var model in models)
            {
                var live = model.Live;
                table.AddRow(Markup.Escape(model.Id), live.State.ToString().ToLowerInvariant(), live.Pid?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
                    live.Port?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
                    live.ResidentBytes is { } bytes ? ModelsCommand.FormatBytes(bytes) : "-",
                    live.InFlight.ToString(System.Globalization.CultureInfo.InvariantCulture), live.Queued.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            AnsiConsole.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }
}
