using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace ModelSwap.Cli.Commands;

/// <summary>The usual help, then an "Examples:" section for the command asked about.</summary>
internal sealed class ExamplesHelpAction(HelpAction help, Func<Command, IReadOnlyList<string>> examplesFor) : SynchronousCommandLineAction
{
    public override int Invoke(ParseResult parseResult)
    {
        var result = help.Invoke(parseResult);
        var examples = examplesFor(parseResult.CommandResult.Command);
        if (examples.Count > 0)
        {
            var output = parseResult.InvocationConfiguration.Output;
            output.WriteLine("Examples:");
            foreach (var line in examples)
            {
                output.WriteLine("  " + line);
            }
            output.WriteLine();
        }
        return result;
    }
}
