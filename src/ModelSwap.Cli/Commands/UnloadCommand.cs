using System.CommandLine;
using System.Text.Json.Nodes;

namespace ModelSwap.Cli.Commands;

/// <summary>`modelswap unload [MODEL]`: stop one model (or all) in the running service.</summary>
internal static class UnloadCommand
{
    public static Command Create()
    {
        var model = new Argument<string?>("MODEL") { Description = "Model id or alias; all models when left out.", Arity = ArgumentArity.ZeroOrOne };
        var url = ServiceOptions.Url();
        var command = new Command("unload", "Stop a loaded model (or every model) in the running service.") { model, url };
        command.SetAction(async (parse, ct) =>
        {
            var name = parse.GetValue(model);
            // Unloading waits for in-flight requests, so allow it time.
            using var client = ServiceOptions.Client(parse.GetValue(url)!, TimeSpan.FromMinutes(5));
            try
            {
                using var response = await client.PostAsync(name is null ? "/unload" : $"/api/models/unload/{Uri.EscapeDataString(name).Replace("%2F", "/", StringComparison.Ordinal)}", null, ct)
                    .ConfigureAwait(false);
                if (!response.IsSuccessStatusCode)
                {
                    var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                    var message = TryMessage(body) ?? body;
                    Console.Error.WriteLine($"error: {message}");
                    return ExitCodes.Failure;
                }
            }
            catch (HttpRequestException ex)
            {
                Console.Error.WriteLine($"error: ModelSwap is not answering at {client.BaseAddress}: {ex.Message}");
                return ExitCodes.NotRunning;
            }
            Console.Error.WriteLine(name is null ? "unloaded every model" : $"unloaded {name}");
            return ExitCodes.Ok;
        });
        return command;
    }

    internal static string? TryMessage(string body)
    {
        try
        {
            return JsonNode.Parse(body)?["error"]?["message"]?.GetValue<string>();
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
