using System.CommandLine;
using ModelSwap.Hub.Store;

namespace ModelSwap.Cli.Commands;

/// <summary>
/// `modelswap models rm NAME [--force]`: deletes a local model (all split parts, and its mmproj when no
/// other model uses it). Only files inside the models dir are ever touched.
/// </summary>
internal static class ModelsRmCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "Model name (file name without .gguf), file name, or path inside the models dir." };
        var force = new Option<bool>("--force") { Description = "Delete even if a running service has the model loaded (it is unloaded first)." };
        var yes = new Option<bool>("--yes", "-y") { Description = "Do not ask for confirmation on a terminal." };
        var modelsDir = ModelsCommand.ModelsDirOption();
        var url = ServiceOptions.Url();
        var command = new Command("rm", "Delete a local model and its files.");
        command.Arguments.Add(name);
        command.Options.Add(force);
        command.Options.Add(yes);
        command.Options.Add(modelsDir);
        command.Options.Add(url);
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var store = new ModelStore([parse.GetValue(modelsDir)!]);
                var model = FindByAnyName(store, parse.GetValue(modelsDir)!, parse.GetValue(name)!);
                var users = await RunningModelUsers.FindAsync(parse.GetValue(url)!, model, ct).ConfigureAwait(false);
                if (users.Count > 0 && !parse.GetValue(force))
                {
                    Console.Error.WriteLine($"error: {model.Name} is loaded by the running service as {string.Join(", ", users)}; " +
                        "unload it first (modelswap unload) or pass --force");
                    return ExitCodes.Failure;
                }
                if (!parse.GetValue(yes) && !Confirm(model))
                {
                    Console.Error.WriteLine("Nothing deleted.");
                    return ExitCodes.Failure;
                }
                await RunningModelUsers.UnloadAsync(parse.GetValue(url)!, users, ct).ConfigureAwait(false);
                var result = store.Delete(model.Path, force: true);
                foreach (var file in result.DeletedFiles)
                {
                    Console.Out.WriteLine(file);
                }
                foreach (var file in result.KeptFiles)
                {
                    Console.Error.WriteLine($"kept {file} (another model uses it)");
                }
                Console.Error.WriteLine($"Deleted {result.Model.Name} ({ModelsCommand.FormatBytes(result.Model.SizeBytes)}).");
                return ExitCodes.Ok;
            }
            catch (ModelStoreException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return e.Kind is ModelStoreError.NotFound or ModelStoreError.Ambiguous or ModelStoreError.OutsideModelsDir
                    ? ExitCodes.InvalidInput
                    : ExitCodes.Failure;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    /// <summary>
    /// A file name, file stem or path (the store's own names), else the name the service serves the
    /// model under or one of its aliases (`llama3.2:1b-instruct`, `gpt-3.5-turbo`), found by a scan.
    /// </summary>
    private static LocalModel FindByAnyName(ModelStore store, string modelsDir, string wanted)
    {
        try
        {
            return store.Find(wanted);
        }
        catch (ModelStoreException ex) when (ex.Kind == ModelStoreError.NotFound)
        {
            var scan = new ModelSwap.Core.Catalog.ModelScanner(new ModelSwap.Core.Catalog.ModelScannerOptions
            {
                Directories = [modelsDir],
                BundledDirectory = null,
                SettleTime = TimeSpan.Zero,
            }).Scan();
            if (ModelsShowCommand.Find(scan.Models, wanted) is { } served)
            {
                if (ModelSwap.Core.Catalog.AliasDeletion.Refusal(wanted, served.Name) is { } refusal)
                {
                    throw new ModelStoreException(ModelStoreError.NotFound, refusal);
                }
                return store.Find(served.Path);
            }
            if (ModelSwap.Core.Catalog.AliasDeletion.Refusal(wanted, null) is { } unassigned)
            {
                throw new ModelStoreException(ModelStoreError.NotFound, unassigned);
            }
            throw;
        }
    }

    /// <summary>On a terminal, asks before deleting; scripts (input or output redirected) are not asked.</summary>
    private static bool Confirm(LocalModel model)
    {
        if (Console.IsInputRedirected || Console.IsErrorRedirected)
        {
            return true;
        }
        Console.Error.Write($"Delete {model.Name} ({ModelsCommand.FormatBytes(model.SizeBytes)}, {model.Files.Count} file(s) in {model.ModelsDir})? [y/N] ");
        var answer = Console.ReadLine()?.Trim();
        return answer is not null && (answer.Equals("y", StringComparison.OrdinalIgnoreCase) || answer.Equals("yes", StringComparison.OrdinalIgnoreCase));
    }
}
