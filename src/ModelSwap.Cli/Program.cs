using System.CommandLine;
using ModelSwap.Cli.Commands;

// On SIGINT/SIGTERM System.CommandLine cancels the verb's token; a verb that finishes in time keeps
// its own exit code. `serve` may need its models' unload timeouts to stop them, so allow a long
// grace period instead of the 2-second default.
// `run` handles Ctrl+C itself: in a conversation it stops the answer, not the program.
var invocation = args.FirstOrDefault() == RunCommand.Name
    ? new InvocationConfiguration { ProcessTerminationTimeout = null }
    : new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromMinutes(10) };
return await CommandTree.Build().Parse(args).InvokeAsync(invocation).ConfigureAwait(false);
