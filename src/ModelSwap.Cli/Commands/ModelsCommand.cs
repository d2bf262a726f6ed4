using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using ModelSwap.Hub.Store;

namespace ModelSwap.Cli.Commands;

/// <summary>
/// `modelswap models …`: the parent of the model verbs. Add a subverb with one line in <see cref="Create"/>.
/// </summary>
internal static class ModelsCommand
{
    public static Command Create()
    {
        var command = new Command("models", "Find, download, list and delete GGUF models.");
        command.Subcommands.Add(ModelsSearchCommand.Create());
        command.Subcommands.Add(ModelsPullCommand.Create());
        command.Subcommands.Add(ModelsRmCommand.Create());
        return command;
    }

    /// <summary>`--models-dir DIR`; default MODELSWAP_MODELS_DIR, else ~/.clara/llama-models.</summary>
    public static Option<string> ModelsDirOption() => new("--models-dir")
    {
        Description = "Models directory (default: $MODELSWAP_MODELS_DIR or ~/.clara/llama-models).",
        DefaultValueFactory = _ => ModelStore.DefaultModelsDir(),
    };

    /// <summary>JSON for `--format json`: camelCase, indented, enums as strings.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{bytes / (double)(1L << 30):0.0} GiB",
        >= 1L << 20 => $"{bytes / (double)(1L << 20):0.0} MiB",
        >= 1L << 10 => $"{bytes / (double)(1L << 10):0.0} KiB",
        _ => $"{bytes} B",
    };
}
