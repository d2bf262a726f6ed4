using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ModelSwap.Cli.Commands;

/// <summary>`modelswap status`: exit 0 when the service answers, 3 when it does not.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var url = ServiceOptions.Url();
        var command = new Command("status", "Tell whether the ModelSwap service runs (exit 0) or not (exit 3).") { url };
        command.SetAction(async (parse, ct) =>
        {
            var home = ServiceHome.FromEnvironment();
            var state = home.Read();
            if (ServiceUrl.Resolve(parse.GetValue(url), Console.Error, home: home) is not { Url: var target })
            {
                return ExitCodes.InvalidInput;
            }
            using var client = ServiceOptions.Client(target, TimeSpan.FromSeconds(5));
            try
            {
                var models = await client.GetFromJsonAsync<JsonObject>("/v1/models", ct).ConfigureAwait(false);
                var running = await client.GetFromJsonAsync<JsonObject>("/running", ct).ConfigureAwait(false);
                var pid = state is not null && ServiceHome.IsModelSwap(state.Pid) ? $" (pid {state.Pid})" : "";
                Console.Out.WriteLine($"running at {target}{pid}: {models!["data"]!.AsArray().Count} models, {running!["running"]!.AsArray().Count} loaded");
                return ExitCodes.Ok;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException)
            {
                Console.Out.WriteLine($"not running at {target}");
                return ExitCodes.NotRunning;
            }
        });
        return command;
    }
}
