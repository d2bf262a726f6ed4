using System.CommandLine;
using ModelSwap.Core.Configuration.Loading;

namespace ModelSwap.Cli.Commands;

/// <summary>
/// A command line that does not parse: each mistake on one line of stderr, naming what was wrong,
/// with a "did you mean" for a misspelt verb or option and where the help is. Nothing on stdout,
/// where scripts read data.
/// </summary>
internal static class ParseErrors
{
    public static void Write(ParseResult parse, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(error);
        var command = parse.CommandResult.Command;
        var path = string.Join(' ', parse.CommandResult.Command.Parents().Reverse().Append(command).Select(c => c.Name));
        var candidates = command.Subcommands.SelectMany(c => c.Aliases.Prepend(c.Name))
            .Concat(command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)))
            .ToList();
        var unmatched = parse.UnmatchedTokens.ToHashSet(StringComparer.Ordinal);
        // A misspelt verb also leaves its parent "without a command": the misspelling is the mistake to name.
        var mistakes = unmatched.Count > 0 && parse.Errors.Count > 1
            ? parse.Errors.Where(e => !e.Message.StartsWith("Required command", StringComparison.Ordinal))
            : parse.Errors;
        foreach (var mistake in mistakes)
        {
            // System.CommandLine lists allowed values on lines of their own; one line reads better in a log.
            var message = string.Join(' ', mistake.Message.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).TrimEnd('.');
            var hint = unmatched.FirstOrDefault(t => message.Contains($"'{t}'", StringComparison.Ordinal)) is { } token
                ? Suggestions.Hint(token, candidates)
                : "";
            error.WriteLine($"error: {message}{hint} (see `{path} --help`)");
        }
    }

    private static IEnumerable<Command> Parents(this Command command)
    {
        for (var parent = command.Parents.OfType<Command>().FirstOrDefault(); parent is not null; parent = parent.Parents.OfType<Command>().FirstOrDefault())
        {
            yield return parent;
        }
    }
}
