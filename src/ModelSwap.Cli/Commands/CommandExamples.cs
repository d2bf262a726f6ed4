using System.CommandLine;

namespace ModelSwap.Cli.Commands;

/// <summary>
/// The examples every `--help` ends with, by command path, kept in one place so each verb's help
/// shows how it is really typed. <see cref="Apply"/> adds them to the descriptions of the whole tree.
/// </summary>
internal static class CommandExamples
{
    private static readonly Dictionary<string, string[]> Examples = new(StringComparer.Ordinal)
    {
        [""] = ["modelswap serve --demo", "modelswap run qwen2.5:7b-instruct", "modelswap pull hf.co/bartowski/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M", "modelswap ps"],
        ["version"] = ["modelswap version"],
        ["serve"] = ["modelswap serve --demo", "modelswap serve --models-dir ~/models --listen 127.0.0.1:8091", "modelswap serve --config config.yaml --watch-config"],
        ["start"] = ["modelswap start", "modelswap start --listen 127.0.0.1:8095 --models-dir ~/models"],
        ["stop"] = ["modelswap stop"],
        ["restart"] = ["modelswap restart"],
        ["status"] = ["modelswap status", "modelswap status --format json"],
        ["ps"] = ["modelswap ps", "modelswap ps --format json", "modelswap ps --url http://127.0.0.1:8095"],
        ["unload"] = ["modelswap unload qwen2.5:7b-instruct", "modelswap unload"],
        ["run"] = ["modelswap run qwen2.5:7b-instruct", "modelswap run gpt-4 \"Why is the sky blue?\"", "git diff | modelswap run qwen2.5:7b-instruct \"Write a commit message for this diff\""],
        ["engine"] = ["modelswap engine --model ~/models/qwen2.5-0.5b-instruct-q4_k_m.gguf --port 8080"],
        ["config"] = ["modelswap config validate config.yaml", "modelswap config generate --models-dir ~/models"],
        ["config validate"] = ["modelswap config validate config.yaml"],
        ["config generate"] = ["modelswap config generate", "modelswap config generate --models-dir ~/models --output config.yaml"],
        ["models"] = ["modelswap models list", "modelswap models search qwen2.5", "modelswap models pull bartowski/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M"],
        ["models search"] = ["modelswap models search qwen2.5 --limit 5"],
        ["models list"] = ["modelswap models list", "modelswap list --format json"],
        ["models show"] = ["modelswap models show llama3.2:1b-instruct", "modelswap show gpt-3.5-turbo --format json"],
        ["models pull"] = ["modelswap models pull bartowski/Qwen2.5-0.5B-Instruct-GGUF:Q4_K_M", "modelswap pull hf.co/bartowski/Llama-3.2-1B-Instruct-GGUF:Q8_0"],
        ["models rm"] = ["modelswap models rm llama3.2:1b-instruct", "modelswap rm gpt-3.5-turbo --force"],
        ["service"] = ["modelswap service install --user", "modelswap service uninstall --user"],
        ["service install"] = ["modelswap service install --user", "modelswap service install --user --listen 127.0.0.1:8095 --models-dir ~/models"],
        ["service uninstall"] = ["modelswap service uninstall --user"],
    };

    /// <summary>Top-level verbs that are the same command as one under `models`.</summary>
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["list"] = "models list",
        ["show"] = "models show",
        ["pull"] = "models pull",
        ["rm"] = "models rm",
    };

    /// <summary>
    /// Makes `--help` end with the examples of the command it is asked about (only there: listings of
    /// subcommands stay one line each).
    /// </summary>
    public static void Apply(RootCommand root)
    {
        var paths = new Dictionary<Command, string>();
        Walk(root, "", paths);
        var help = root.Options.OfType<System.CommandLine.Help.HelpOption>().Single();
        help.Action = new ExamplesHelpAction((System.CommandLine.Help.HelpAction)help.Action!, command =>
            paths.TryGetValue(command, out var path) && Examples.TryGetValue(Aliases.GetValueOrDefault(path, path), out var lines)
                ? lines
                : []);
    }

    private static void Walk(Command command, string path, Dictionary<Command, string> paths)
    {
        paths[command] = path;
        foreach (var sub in command.Subcommands)
        {
            Walk(sub, path.Length == 0 ? sub.Name : $"{path} {sub.Name}", paths);
        }
    }

    /// <summary>Command paths without examples (a test keeps this empty).</summary>
    public static IEnumerable<string> Missing(Command command, string path = "")
    {
        if (!Examples.ContainsKey(Aliases.GetValueOrDefault(path, path)))
        {
            yield return path.Length == 0 ? "(root)" : path;
        }
        foreach (var sub in command.Subcommands)
        {
            foreach (var missing in Missing(sub, path.Length == 0 ? sub.Name : $"{path} {sub.Name}"))
            {
                yield return missing;
            }
        }
    }
}
