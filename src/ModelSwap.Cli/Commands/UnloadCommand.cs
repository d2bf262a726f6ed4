using System.CommandLine;

namespace ModelSwap.Cli.Commands;

/// <summary>`modelswap unload [MODEL]`: stop one model (or all) in the running service (found by <see cref="ServiceUrl"/>'s rule).</summary>
internal static class UnloadCommand
{
    public static Command Create()
    {
        var model = new Argument<string?>("MODEL") { Description = "Model id or alias; all models when left out.", Arity = ArgumentArity.ZeroOrOne };
        var url = ServiceOptions.Url();
        var command = new Command("unload", "Stop a loaded model (or every model) in the running service.") { model, url };
        command.SetAction(async (parse, ct) =>
        {
            if (ServiceUrl.Resolve(parse.GetValue(url), Console.Error) is not { } service)
            {
                return ExitCodes.InvalidInput;
            }
            var name = parse.GetValue(model);
            // Unloading waits for in-flight requests, so allow it time.
            using var client = new ManagementClient(service, TimeSpan.FromMinutes(5));
            try
            {
                if (name is null)
                {
                    await client.UnloadAllAsync(ct).ConfigureAwait(false);
                }
                else
                {
                    await client.UnloadAsync(name, ct).ConfigureAwait(false);
                }
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
            Console.Error.WriteLine(name is null ? $"unloaded every model at {service.Url}" : $"unloaded {name} at {service.Url}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
