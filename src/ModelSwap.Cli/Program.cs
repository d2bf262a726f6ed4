using System.CommandLine;
using ModelSwap.Cli.Commands;

// Signals are left to each verb: `serve` and `engine` stop their hosts gracefully on SIGTERM/Ctrl+C
// (stopping model servers can take the unload timeout), which System.CommandLine's 2-second
// termination handling would cut short.
var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null };
return await CommandTree.Build().Parse(args).InvokeAsync(invocation).ConfigureAwait(false);
