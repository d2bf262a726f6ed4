using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using ModelSwap.Gateway.Hosting;
using ModelSwap.Gateway.Translation;
using ModelSwap.Hub.Downloads;
using ModelSwap.Hub.HuggingFace;

namespace ModelSwap.Gateway.Api.Ollama;

/// <summary>
/// /api/pull: Ollama-style Hugging Face names (<c>hf.co/org/repo:QUANT</c>, also <c>org/repo:QUANT</c>)
/// go to the model manager's download queue; progress streams as Ollama's
/// <c>{status, digest, total, completed}</c> lines, ending with <c>success</c> once the model is served.
/// </summary>
internal sealed class OllamaPull(HuggingFaceClient hub, DownloadManager downloads, IModelCatalog catalog, OllamaModelSource models)
{
    public async Task PullAsync(HttpContext context)
    {
        string name;
        bool stream;
        try
        {
            var request = await OllamaBodies.ReadAsync(context).ConfigureAwait(false);
            name = OllamaFields.Model(request);
            stream = OllamaFields.OptionalBool(request, "stream", fallback: true);
        }
        catch (OllamaRequestException ex)
        {
            await OllamaErrors.WriteAsync(context, 400, ex.Message).ConfigureAwait(false);
            return;
        }
        if (!ModelReference.TryParse(name, null, out var reference, out var error))
        {
            await OllamaErrors.WriteAsync(context, 400,
                $"'{name}' is not a Hugging Face model name: pull takes hf.co/org/repo:QUANT, org/repo:QUANT or org/repo/FILE.gguf ({error})")
                .ConfigureAwait(false);
            return;
        }
        var ct = context.RequestAborted;
        if (stream)
        {
            await StatusAsync(context, "pulling manifest").ConfigureAwait(false);
        }
        DownloadJob job;
        DownloadRequest plan;
        try
        {
            plan = await hub.PlanPullAsync(reference, ct).ConfigureAwait(false);
            job = downloads.Enqueue(plan);
        }
        catch (Exception ex) when (Management.HubFailures.Translate(ex, hub.Options.Endpoint, ct) is { } failure)
        {
            // The management layer's words and status, as /api/downloads answers them.
            await OllamaErrors.WriteAsync(context, ErrorMapping.Map(failure).Status, $"pull {name}: {failure.Message}").ConfigureAwait(false);
            return;
        }
        var final = stream ? await StreamProgressAsync(context, job, plan).ConfigureAwait(false) : await job.Completion.WaitAsync(ct).ConfigureAwait(false);
        if (final.State != DownloadState.Completed)
        {
            await OllamaErrors.WriteAsync(context, 500, $"pull {name}: {final.Error ?? final.State.ToString().ToLowerInvariant()}").ConfigureAwait(false);
            return;
        }
        if (stream)
        {
            await StatusAsync(context, "verifying sha256 digest").ConfigureAwait(false);
            await StatusAsync(context, "writing manifest").ConfigureAwait(false);
        }
        // Served before "success": a client that lists or chats next finds the model.
        await WaitUntilServedAsync(job, ct).ConfigureAwait(false);
        if (stream)
        {
            await StatusAsync(context, "success").ConfigureAwait(false);
        }
        else
        {
            await context.Response.WriteAsJsonAsync(new JsonObject { ["status"] = "success" }, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Refreshes the catalog until it serves the pulled file. A scan may hold a file written a moment
    /// ago back as "still being copied" for about a second, so this tries a few times, then gives up
    /// quietly (the watcher serves it shortly after; a config file the user wrote never lists it).
    /// </summary>
    private async Task WaitUntilServedAsync(DownloadJob job, CancellationToken ct)
    {
        var paths = job.FinalPaths.Select(Path.GetFullPath).ToHashSet(StringComparer.Ordinal);
        for (var attempt = 0; attempt < 20; attempt++)
        {
            await catalog.RefreshAsync(ct).ConfigureAwait(false);
            if ((await models.ListAsync(ct).ConfigureAwait(false)).Any(m => m.Path is { } path && paths.Contains(Path.GetFullPath(path))))
            {
                return;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250), ct).ConfigureAwait(false);
        }
    }

    private async Task<DownloadStatus> StreamProgressAsync(HttpContext context, DownloadJob job, DownloadRequest plan)
    {
        // The manager reports from its own thread; the newest report wins, older ones are not worth a line.
        var updates = Channel.CreateBounded<DownloadStatus>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
        void OnProgress(object? sender, DownloadProgress progress)
        {
            if (progress.JobId == job.Id)
            {
                updates.Writer.TryWrite(progress.Status);
            }
        }
        downloads.ProgressChanged += OnProgress;
        try
        {
            _ = job.Completion.ContinueWith(_ => updates.Writer.TryComplete(), TaskScheduler.Default);
            var digest = plan.Files.FirstOrDefault()?.Sha256 is { } sha ? "sha256:" + sha.ToLowerInvariant() : null;
            var label = digest is null ? plan.Files.FirstOrDefault()?.Path ?? plan.Repo : digest[7..19];
            long? lastCompleted = null;
            await foreach (var status in updates.Reader.ReadAllAsync(context.RequestAborted).ConfigureAwait(false))
            {
                if (status.BytesDownloaded == lastCompleted)
                {
                    continue;
                }
                lastCompleted = status.BytesDownloaded;
                await NdjsonWriter.WriteLineAsync(context.Response, Progress(label, digest, status), context.RequestAborted).ConfigureAwait(false);
            }
            var final = await job.Completion.ConfigureAwait(false);
            if (final.State == DownloadState.Completed && final.BytesDownloaded != lastCompleted)
            {
                await NdjsonWriter.WriteLineAsync(context.Response, Progress(label, digest, final), context.RequestAborted).ConfigureAwait(false);
            }
            return final;
        }
        finally
        {
            downloads.ProgressChanged -= OnProgress;
        }
    }

    private static JsonObject Progress(string label, string? digest, DownloadStatus status)
    {
        var line = new JsonObject { ["status"] = $"pulling {label}" };
        if (digest is not null)
        {
            line["digest"] = digest;
        }
        line["total"] = status.TotalBytes ?? status.BytesDownloaded;
        line["completed"] = status.BytesDownloaded;
        return line;
    }

    private static Task StatusAsync(HttpContext context, string status) =>
        NdjsonWriter.WriteLineAsync(context.Response, new JsonObject { ["status"] = status }, context.RequestAborted);
}
