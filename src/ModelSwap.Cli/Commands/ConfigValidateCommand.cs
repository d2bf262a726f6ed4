using System.CommandLine;
using ModelSwap.Core.Configuration;

namespace ModelSwap.Cli.Commands;

/// <summary>
/// `modelswap config validate FILE`: prints every error and warning (file:line: key path: message)
/// and a summary to stderr; exits 0 only when the file is valid.
/// </summary>
internal static class ConfigValidateCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "The config.yaml to check (llama-swap format)." };
        var command = new Command("validate",
            "Check a config file: print every error and warning with its line, exit 0 only when it is valid.") { file };
        command.SetAction(parse => Run(parse.GetValue(file)!, ConfigLoadOptions.Default, parse.InvocationConfiguration.Error));
        return command;
    }

    internal static int Run(string path, ConfigLoadOptions options, TextWriter error)
    {
        var result = ConfigLoader.LoadFile(path, options);
        foreach (var diagnostic in result.Diagnostics)
        {
            error.WriteLine(diagnostic.ToString());
        }
        var errors = result.Errors.Count();
        var warnings = result.Warnings.Count();
        if (result.IsValid)
        {
            var models = result.Config!.Models.Count;
            error.WriteLine($"{path}: valid: {Count(models, "model")}, {Count(warnings, "warning")}");
            return ExitCodes.Ok;
        }
        error.WriteLine($"{path}: invalid: {Count(errors, "error")}, {Count(warnings, "warning")}");
        return ExitCodes.InvalidInput;
    }

    private static string Count(int count, string noun) => $"{count} {noun}{(count == 1 ? "" : "s")}";
}
