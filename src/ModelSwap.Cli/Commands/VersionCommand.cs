using System.CommandLine;
using System.Reflection;

namespace ModelSwap.Cli.Commands;

/// <summary>`modelswap version`: prints the version of this build.</summary>
internal static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("version", "Print the ModelSwap version.");
        command.SetAction(_ =>
        {
            var version = typeof(VersionCommand).Assembly
                .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            Console.Out.WriteLine(version);
            return ExitCodes.Ok;
        });
        return command;
    }
}
