using ModelSwap.Cli.Commands;

return await CommandTree.Build().Parse(args).InvokeAsync().ConfigureAwait(false);
