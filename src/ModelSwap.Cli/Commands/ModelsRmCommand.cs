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
        var force = new Option<bool>("--force") { Description = "Delete even if the model is loaded or busy." };
        var modelsDir = ModelsCommand.ModelsDirOption();
        var command = new Command("rm", "Delete a local model and its files.");
        command.Arguments.Add(name);
        command.Options.Add(force);
        command.Options.Add(modelsDir);
        command.SetAction(parse =>
        {
            try
            {
                var result = new ModelStore([parse.GetValue(modelsDir)!]).Delete(parse.GetValue(name)!, parse.GetValue(force));
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
}
