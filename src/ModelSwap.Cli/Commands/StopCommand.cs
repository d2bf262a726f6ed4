using System.CommandLine;

namespace ModelSwap.Cli.Commands;

/// <summary>`modelswap stop`: stops the service `start` started (its model servers stop with it).</summary>
internal static class StopCommand
{
    public static Command Create()
    {
        var command = new Command("stop", "Stop the background service started with `modelswap start`.");
        command.SetAction((parse, ct) => StopAsync(ServiceHome.FromEnvironment(), ct));
        return command;
    }

    internal static async Task<int> StopAsync(ServiceHome home, CancellationToken cancellationToken)
    {
        var state = home.Read();
        if (state is null || !ServiceHome.IsModelSwap(state.Pid))
        {
            if (state is not null)
            {
                home.Clear();
            }
            Console.Error.WriteLine("not running");
            return ExitCodes.Ok;
        }
        if (!await DetachedService.StopAsync(state.Pid, TimeSpan.FromMinutes(2), cancellationToken).ConfigureAwait(false))
        {
            Console.Error.WriteLine($"error: pid {state.Pid} did not stop within 2 minutes");
            return ExitCodes.Failure;
        }
        home.Clear();
        Console.Error.WriteLine($"stopped (pid {state.Pid})");
        return ExitCodes.Ok;
    }
}
