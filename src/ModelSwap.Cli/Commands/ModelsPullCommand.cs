using System.CommandLine;
using ModelSwap.Hub.Downloads;
using ModelSwap.Hub.HuggingFace;
using Spectre.Console;

namespace ModelSwap.Cli.Commands;

/// <summary>
/// `modelswap models pull REPO[:QUANT] | REPO/FILE.gguf | hf.co/org/repo:QUANT`: downloads a model (all
/// split parts and its mmproj) with a progress bar on stderr; prints the model path on stdout. Ctrl+C
/// keeps the .part files, and running the same command again resumes them.
/// </summary>
internal static class ModelsPullCommand
{
    /// <summary>Exit code after Ctrl+C (128 + SIGINT), as shells expect.</summary>

    public static Command Create()
    {
        var reference = new Argument<string>("model")
        {
            Description = "owner/repo[:QUANT], owner/repo/FILE.gguf, hf.co/owner/repo:QUANT or a Hugging Face URL.",
        };
        var modelsDir = ModelsCommand.ModelsDirOption();
        var revision = new Option<string?>("--revision") { Description = "Branch, tag or commit (default main)." };
        var command = new Command("pull", "Download a GGUF model from Hugging Face (resumable, sha256-verified).");
        command.Arguments.Add(reference);
        command.Options.Add(modelsDir);
        command.Options.Add(revision);
        command.SetAction((parse, ct) => RunAsync(parse.GetValue(reference)!, parse.GetValue(modelsDir)!, parse.GetValue(revision), ct));
        return command;
    }

    private static async Task<int> RunAsync(string text, string modelsDir, string? revision, CancellationToken ct)
    {
        if (!ModelReference.TryParse(text, revision, out var reference, out var error))
        {
            Console.Error.WriteLine($"error: {error}");
            return ExitCodes.InvalidInput;
        }
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        try
        {
            var hub = HubOptions.FromEnvironment();
            DownloadRequest request;
            using (var client = new HuggingFaceClient(hub))
            {
                request = await client.PlanPullAsync(reference, ct);
            }
            var total = request.Files.Sum(f => f.Size ?? 0);
            // Plain writes: Spectre would wrap long paths at its guessed width when stderr is not a terminal.
            Console.Error.WriteLine($"pulling {reference} ({request.Files.Count} file(s), {ModelsCommand.FormatBytes(total)}) into {modelsDir}");
            await using var manager = new DownloadManager(new DownloadManagerOptions(modelsDir) { MaxConcurrentDownloads = 1 }, hub);
            string[]? modelPaths = null;
            manager.Completed += (_, e) => modelPaths = [.. e.ModelPaths];
            // Decided before the download starts: a fast download must not look like "up to date".
            var upToDate = IsUpToDate(request, modelsDir);
            var job = manager.Enqueue(request);
            // Ctrl+C: stop the transfer but keep the .part files so the same command resumes.
            using var onCancel = ct.Register(() => manager.Cancel(job.Id, keepPartial: true));
            var status = upToDate ? await job.Completion : await ShowProgressAsync(console, manager, job, reference.ToString());
            switch (status.State)
            {
                case DownloadState.Completed:
                    foreach (var path in modelPaths ?? [])
                    {
                        Console.Out.WriteLine(path);
                    }
                    Console.Error.WriteLine(upToDate
                        ? $"{reference} is up to date: every file is in place with the sha256 it was verified with; nothing downloaded."
                        : "sha256 verified.");
                    Console.Error.WriteLine("success");
                    return ExitCodes.Ok;
                case DownloadState.Cancelled:
                    Console.Error.WriteLine($"Interrupted. The partial download is kept (*.part in {Path.Combine(modelsDir, Hub.Store.ModelPlacement.RepoFolderName(request.Repo))}).");
                    Console.Error.WriteLine($"Resume it by running the same command again: modelswap models pull {text}"
                        + (revision is null ? "" : $" --revision {revision}") + $" --models-dir {modelsDir}");
                    return ExitCodes.Interrupted;
                default:
                    Console.Error.WriteLine($"error: {status.Error}");
                    return ExitCodes.Failure;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Console.Error.WriteLine("Interrupted before the download started.");
            return ExitCodes.Interrupted;
        }
        catch (HubException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (HttpRequestException e)
        {
            Console.Error.WriteLine($"error: cannot reach the Hub: {e.Message}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>
    /// Every file of the pull is already in place with the size and sha256 that the models manifest
    /// recorded when it was downloaded and verified (the manager then transfers nothing).
    /// </summary>
    private static bool IsUpToDate(DownloadRequest request, string modelsDir)
    {
        var manifest = Hub.Store.ModelManifest.Load(modelsDir).SelectMany(e => e.Files)
            .ToDictionary(f => f.Path, f => f.Sha256, StringComparer.Ordinal);
        foreach (var file in request.Files)
        {
            var info = new FileInfo(Hub.Store.ModelPlacement.FinalPath(modelsDir, request.Repo, file.Path));
            var relative = Path.GetRelativePath(modelsDir, info.FullName).Replace('\\', '/');
            if (file.Sha256 is null || file.Size is null || !info.Exists || info.Length != file.Size
                || !manifest.TryGetValue(relative, out var sha) || !string.Equals(sha, file.Sha256, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }
        return true;
    }

    private static async Task<DownloadStatus> ShowProgressAsync(IAnsiConsole console, DownloadManager manager, DownloadJob job, string label)
    {
        DownloadStatus? final = null;
        await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new DownloadedColumn(),
                new TransferSpeedColumn(),
                new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(label), maxValue: Math.Max(1, job.TotalBytes ?? 1));
                void Update(DownloadStatus status)
                {
                    if (status.TotalBytes is { } total && total > 0)
                    {
                        task.MaxValue = total;
                    }
                    task.Value = Math.Min(status.BytesDownloaded, task.MaxValue);
                }
                manager.ProgressChanged += (_, e) =>
                {
                    if (e.JobId == job.Id)
                    {
                        Update(e.Status);
                    }
                };
                final = await job.Completion;
                Update(final);
                if (final.State != DownloadState.Completed)
                {
                    task.StopTask();
                }
            });
        return final!;
    }
}
