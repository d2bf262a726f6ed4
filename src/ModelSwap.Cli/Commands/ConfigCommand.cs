using System.CommandLine;

namespace ModelSwap.Cli.Commands;

/// <summary>`modelswap config …`: work with llama-swap compatible config files. Each subverb is its own file.</summary>
internal static class ConfigCommand
{
    public static Command Create()
    {
        var command = new Command("config", "Check llama-swap compatible config files.");
        command.Subcommands.Add(ConfigValidateCommand.Create());
        return command;
    }
}
