using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using ModelSwap.Gateway.Hosting;
using ModelSwap.Gateway.Management;
using ModelSwap.Gateway.Translation;

namespace ModelSwap.Gateway.Api.Ollama;

/// <summary>
/// /api/pull: Ollama-style Hugging Face names (<c>hf.co/org/repo:QUANT</c>, also <c>org/repo:QUANT</c>)
/// go to the model manager's download queue through <see cref="IModelHub"/>, the one path the API and
/// the dashboard take too (same plan, same errors); progress streams as Ollama's
/// <c>{status, digest, total, completed}</c> lines, ending with <c>success</c> once the model is served.
/// </summary>
internal sealed class OllamaPull(IModelHub hub, IModelCatalog catalog, OllamaModelSource models)
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
        var ct = context.RequestAborted;
        // Any download's change wakes the reader, which then reads this download's state: the newest
        // wake is kept, so the last change (the end) is never missed and a slow client never queues them.
        var wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
        void OnChanged(DownloadView _) => wake.Writer.TryWrite(true);
        hub.DownloadChanged += OnChanged;
        try
        {
            DownloadView started;
            try
            {
                // Planned before the first line, so a bad name or a missing repo is a status code, not a line.
                started = await hub.StartDownloadAsync(name, null, ct).ConfigureAwait(false);
            }
            catch (ManagementException failure)
            {
                // The management layer's words and status, as /api/downloads answers them.
                await OllamaErrors.WriteAsync(context, ErrorMapping.Map(failure).Status, $"pull {name}: {failure.Message}").ConfigureAwait(false);
                return;
            }
            if (stream)
            {
                await StatusAsync(context, "pulling manifest").ConfigureAwait(false);
            }
            var progress = new OllamaPullProgress(started.Parts);
            var view = hub.GetDownload(started.Id);
            while (true)
            {
                if (stream)
                {
                    foreach (var line in progress.LinesFor(view))
                    {
                        await NdjsonWriter.WriteLineAsync(context.Response, line, ct).ConfigureAwait(false);
                    }
                }
                if (view.State is "completed" or "failed" or "cancelled")
                {
                    break;
                }
                await wake.Reader.ReadAsync(ct).ConfigureAwait(false);
                view = hub.GetDownload(started.Id);
            }
            if (view.State != "completed")
            {
                await OllamaErrors.WriteAsync(context, 500, $"pull {name}: {view.Error ?? view.State}").ConfigureAwait(false);
                return;
            }
            if (stream)
            {
                await StatusAsync(context, "verifying sha256 digest").ConfigureAwait(false);
                await StatusAsync(context, "writing manifest").ConfigureAwait(false);
            }
            // Served before "success": a client that lists or chats next finds the model.
            await WaitUntilServedAsync(view.Files, ct).ConfigureAwait(false);
        }
        finally
        {
            hub.DownloadChanged -= OnChanged;
        }
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
    private async Task WaitUntilServedAsync(IReadOnlyList<string> files, CancellationToken ct)
    {
        var paths = files.Select(Path.GetFullPath).ToHashSet(StringComparer.Ordinal);
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

    private static Task StatusAsync(HttpContext context, string status) =>
        NdjsonWriter.WriteLineAsync(context.Response, new JsonObject { ["status"] = status }, context.RequestAborted);
}
