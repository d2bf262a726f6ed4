using System.CommandLine;

namespace ModelSwap.Cli.Commands;

/// <summary>`modelswap restart`: stop, then start again with the arguments `start` was given.</summary>
internal static class RestartCommand
{
    public static Command Create()
    {
        var command = new Command("restart", "Restart the background service with the same options.");
        command.SetAction(async (parse, ct) =>
        {
            var home = ServiceHome.FromEnvironment();
            if (home.Read() is not { } state)
            {
                Console.Error.WriteLine("error: no service was started with `modelswap start`; start it first");
                return ExitCodes.NotRunning;
            }
            var stopped = await StopCommand.StopAsync(home, ct).ConfigureAwait(false);
            return stopped != ExitCodes.Ok ? stopped : await StartCommand.StartAsync(home, state.ServeArguments, ct).ConfigureAwait(false);
        });
        return command;
    }
}
