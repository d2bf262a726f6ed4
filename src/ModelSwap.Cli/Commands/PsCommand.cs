using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Spectre.Console;

namespace ModelSwap.Cli.Commands;

/// <summary>`modelswap ps`: the models a running service has loaded.</summary>
internal static class PsCommand
{
    public static Command Create()
    {
        var url = ServiceOptions.Url();
        var format = ServiceOptions.Format();
        var command = new Command("ps", "List the models the running service has loaded.") { url, format };
        command.SetAction(async (parse, ct) =>
        {
            using var client = ServiceOptions.Client(parse.GetValue(url)!);
            JsonObject running;
            try
            {
                running = (await client.GetFromJsonAsync<JsonObject>("/running", ct).ConfigureAwait(false))!;
            }
            catch (HttpRequestException ex)
            {
                Console.Error.WriteLine($"error: ModelSwap is not answering at {client.BaseAddress}: {ex.Message}");
                return ExitCodes.NotRunning;
            }
            var models = running["running"]!.AsArray();
            if (parse.GetValue(format) == "json")
            {
                Console.Out.WriteLine(models.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
                return ExitCodes.Ok;
            }
            var table = new Table().AddColumns("MODEL", "STATE", "PID", "IN FLIGHT", "QUEUED");
            foreach (var model in models)
            {
                // "starting 42%" while a server reports its load progress.
                var state = model!["state"]!.ToString();
                if (state == "starting" && model["progress"] is { } progress)
                {
                    state += $" {progress}%";
                }
                table.AddRow(Markup.Escape(model["model"]!.ToString()), Markup.Escape(state),
                    model["pid"]?.ToString() ?? "-", model["inFlight"]!.ToString(), model["queued"]!.ToString());
            }
            AnsiConsole.Console.Write(table);
            return ExitCodes.Ok;
        });
        return command;
    }
}
