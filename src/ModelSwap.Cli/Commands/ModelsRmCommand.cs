using System.CommandLine;
using ModelSwap.Core.Catalog;
using ModelSwap.Gateway.Management;
using ModelSwap.Gateway.Swapping;
using ModelSwap.Hub.Store;

namespace ModelSwap.Cli.Commands;

/// <summary>
/// `modelswap models rm NAME [--force]`: deletes a model's files (all split parts, and its projector
/// when no other model uses it). NAME is the served name, an alias, a file name or a path. With a
/// service running (found by <see cref="ServiceUrl"/>'s rule) the service deletes it, through its
/// coordinator, so no request can start the model on files being deleted; a loaded model is
/// refused unless <c>--force</c>. Without one the files are deleted here. Only files inside a models
/// folder are ever touched.
/// </summary>
internal static class ModelsRmCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "Model name or alias (as `models list` shows), file name, or path inside the models dir." };
        var force = new Option<bool>("--force") { Description = "Delete even if the running service has the model loaded (it stops after its in-flight requests)." };
        var modelsDir = ModelsCommand.ModelsDirOption();
        var url = ServiceOptions.Url();
        var command = new Command("rm", "Delete a local model and its files.");
        command.Arguments.Add(name);
        command.Options.Add(force);
        command.Options.Add(modelsDir);
        command.Options.Add(url);
        command.SetAction(async (parse, ct) =>
        {
            if (ServiceUrl.Resolve(parse.GetValue(url), Console.Error) is not { } service)
            {
                return ExitCodes.InvalidInput;
            }
            var wanted = parse.GetValue(name)!;
            var folder = Path.GetFullPath(CatalogPaths.ExpandHome(parse.GetValue(modelsDir)!));
            try
            {
                if (LooksLikePath(wanted) && !IsInside(folder, Path.GetFullPath(wanted, folder)))
                {
                    Console.Error.WriteLine($"error: '{wanted}' is not inside the models dir {folder}; refusing to touch it.");
                    return ExitCodes.InvalidInput;
                }
                using var client = new ManagementClient(service, TimeSpan.FromMinutes(5));
                try
                {
                    return await DeleteThroughServiceAsync(client, wanted, parse.GetValue(force), ct).ConfigureAwait(false);
                }
                catch (ServiceUnreachableException)
                {
                    return await DeleteHereAsync(folder, wanted, ct).ConfigureAwait(false);
                }
            }
            catch (ServiceErrorException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return e.Status == System.Net.HttpStatusCode.NotFound ? ExitCodes.InvalidInput : ExitCodes.Failure;
            }
            catch (ManagementException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return e.Failure is ManagementFailure.NotFound or ManagementFailure.InvalidRequest ? ExitCodes.InvalidInput : ExitCodes.Failure;
            }
            catch (ModelStoreException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.InvalidInput;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    private static async Task<int> DeleteThroughServiceAsync(ManagementClient client, string wanted, bool force, CancellationToken ct)
    {
        var model = await client.FindAsync(wanted, ct).ConfigureAwait(false);
        if (model is null)
        {
            Console.Error.WriteLine($"error: the service at {client.Url} has no model '{wanted}'; `modelswap models list` shows what is there");
            return ExitCodes.InvalidInput;
        }
        var loaded = model.Live.State != ModelState.Stopped;
        if (loaded && !force)
        {
            Console.Error.WriteLine($"error: {wanted} is loaded by the running service as {model.Id}; unload it first (modelswap unload {model.Id}) or pass --force");
            return ExitCodes.Failure;
        }
        var outcome = await client.DeleteAsync(model.Id, ct).ConfigureAwait(false);
        if (loaded)
        {
            Console.Error.WriteLine($"unloaded {model.Id}");
        }
        Report(model, outcome.Deleted, outcome.Kept);
        return ExitCodes.Ok;
    }

    private static async Task<int> DeleteHereAsync(string folder, string wanted, CancellationToken ct)
    {
        var options = new CatalogOptions { ModelDirectories = [folder], BundledDirectory = null, SettleTime = TimeSpan.Zero };
        var (_, models) = await OfflineInventory.BuildAsync(options, ct).ConfigureAwait(false);
        var model = InventoryJoin.Find(models, new Core.Configuration.ModelSwapConfig(), wanted)
            ?? throw new ManagementException(ManagementFailure.NotFound, "model_not_found",
                $"no model '{wanted}' in {folder}; `modelswap models list --models-dir {folder}` shows what is there");
        var files = model.Files!;
        var keepProjector = files.Projector is { } projector && models.Any(m => m.Files is { } other && other.Path != files.Path && other.Projector == projector);
        var result = new ModelStore([folder]).Delete(files.Parts, files.Projector, keepProjector);
        Report(model, result.DeletedFiles, result.KeptFiles);
        return ExitCodes.Ok;
    }

    private static void Report(ModelInfo model, IReadOnlyList<string> deleted, IReadOnlyList<string> kept)
    {
        foreach (var file in deleted)
        {
            Console.Out.WriteLine(file);
        }
        foreach (var file in kept)
        {
            Console.Error.WriteLine($"kept {file} (another model uses it)");
        }
        Console.Error.WriteLine($"Deleted {model.Id} ({ModelsCommand.FormatBytes(model.Files?.SizeBytes ?? 0)}).");
    }

    private static bool LooksLikePath(string text) => text.Contains('/') && (Path.IsPathRooted(text) || text.StartsWith('.') || text.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase));

    private static bool IsInside(string root, string path) =>
        path.StartsWith(Path.TrimEndingDirectorySeparator(root) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
