using System.CommandLine;
using ModelSwap.Core.Catalog;

namespace ModelSwap.Cli.Commands;

/// <summary>
/// `modelswap config generate [--models-dir DIR]… [--output FILE]`: the config `serve` would
/// generate from the models folders (and models.yaml in MODELSWAP_HOME), to stdout or a file
/// (written atomically). Problems go to stderr; exit 1 when the result would not validate.
/// </summary>
internal static class ConfigGenerateCommand
{
    public static Command Create()
    {
        var modelsDirs = ModelsListCommand.ModelsDirsOption();
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the config to this file instead of stdout." };
        var command = new Command("generate", "Generate a llama-swap compatible config from the models folders.") { modelsDirs, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (DiscoveryArguments.Options(parse.GetValue(modelsDirs), Console.Error, createDefault: false) is not { } options)
            {
                return ExitCodes.InvalidInput;
            }
            var generation = await new CatalogGenerator(options).GenerateAsync(write: false, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var warning in generation.Warnings)
            {
                Console.Error.WriteLine($"warning: {warning}");
            }
            foreach (var error in generation.Errors)
            {
                Console.Error.WriteLine($"error: {error}");
            }
            if (parse.GetValue(output) is { } file)
            {
                AtomicFile.WriteIfChanged(file.FullName, generation.Yaml);
                Console.Error.WriteLine($"Wrote {file.FullName}");
            }
            else
            {
                Console.Out.Write(generation.Yaml);
            }
            var engine = generation.LlamaServer is { } server ? $"llama-server {server.Path}" : "the built-in engine";
            Console.Error.WriteLine($"{generation.Models.Count} models from {string.Join(", ", options.ModelDirectories)}, served with {engine}" +
                (generation.Scan.Pending.Count > 0 ? $"; {generation.Scan.Pending.Count} file(s) still being written, left out" : ""));
            return generation.Errors.Count > 0 ? ExitCodes.Failure : ExitCodes.Ok;
        });
        return command;
    }
}
