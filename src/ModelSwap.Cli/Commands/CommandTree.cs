using System.CommandLine;

namespace ModelSwap.Cli.Commands;

/// <summary>The `modelswap` verbs. Each verb lives in its own file and is a thin adapter.</summary>
internal static class CommandTree
{
    public static RootCommand Build()
    {
        var root = new RootCommand("ModelSwap: one OpenAI-compatible endpoint for many local models.");
        root.Subcommands.Add(VersionCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(ModelsCommand.Create());
        root.Subcommands.Add(ConfigCommand.Create());
        root.Subcommands.Add(PsCommand.Create());
        root.Subcommands.Add(UnloadCommand.Create());
        root.Subcommands.Add(StatusCommand.Create());
        root.Subcommands.Add(StartCommand.Create());
        root.Subcommands.Add(StopCommand.Create());
        root.Subcommands.Add(RestartCommand.Create());
        root.Subcommands.Add(ServiceCommand.Create());
        root.Subcommands.Add(EngineCommand.Create());
        root.Subcommands.Add(RunCommand.Create());
        // Ollama's habits: the model verbs also at the top level (the `models …` forms stay).
        root.Subcommands.Add(ModelsListCommand.Create());
        root.Subcommands.Add(ModelsPullCommand.Create());
        root.Subcommands.Add(ModelsRmCommand.Create());
        root.Subcommands.Add(ModelsShowCommand.Create());
        CommandExamples.Apply(root);
        return root;
    }
}
