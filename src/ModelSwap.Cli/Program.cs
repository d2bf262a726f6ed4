using System.CommandLine;
using ModelSwap.Cli.Commands;

// On SIGINT/SIGTERM System.CommandLine cancels the verb's token; a verb that finishes in time keeps
// its own exit code. `serve` handles its signals itself: the host's lifetime starts the graceful
// stop on the first, and a second ends at once (Service.ImpatientSignals). System.CommandLine's
// handler would block the signal thread for its whole wait, so a second signal would never be seen.
// `run` handles Ctrl+C itself too: in a conversation it stops the answer, not the program.
// The engine's decoding runs on its own thread and hands the HTTP side one token at a time; idle
// thread-pool workers that spin (sched_yield) waiting for the next one took about 6 % of the CPU from
// decoding (measured with perf). It must be set before the pool's first work item, hence here.
if (args.Length > 0 && args[0] == "engine")
    AppContext.SetData("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit", 0);

var handlesSignals = args.Length > 0 && args[0] is "serve" or RunCommand.Name;
var invocation = new InvocationConfiguration
{
    ProcessTerminationTimeout = handlesSignals ? null : TimeSpan.FromMinutes(10),
    // Failures a verb did not foresee still get one line, not a stack trace (MODELSWAP_DEBUG=1 shows it).
    EnableDefaultExceptionHandler = false,
};
try
{
    var parse = CommandTree.Build().Parse(args);
    // Help and --version answer even when the rest of the line is incomplete (`pull --help`).
    var asksForHelp = args.Any(a => a is "-h" or "--help" or "-?" or "/?" or "/h" or "--version");
    if (parse.Errors.Count > 0 && args.Length > 0 && !asksForHelp)
    {
        // One line per mistake on stderr, exit 2; stdout stays empty (no help dumped where data goes).
        // A bare `modelswap` still prints the help.
        ParseErrors.Write(parse, Console.Error);
        return ExitCodes.InvalidInput;
    }
    return await parse.InvokeAsync(invocation).ConfigureAwait(false);
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("cancelled");
    return ExitCodes.Interrupted;
}
catch (Exception ex)
{
    Console.Error.WriteLine(ModelSwap.Cli.Service.UnexpectedError.Describe(ex));
    return ExitCodes.Failure;
}
