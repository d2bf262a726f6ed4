using System.Text.Json.Nodes;
using ModelSwap.Gateway.Management;

namespace ModelSwap.Gateway.Api.Ollama;

/// <summary>
/// Ollama's per-layer progress lines (<c>{"status":"pulling 0123456789ab","digest":"sha256:…","total":N,"completed":M}</c>)
/// from a download's views: one layer per file. The view counts bytes for the whole download and
/// fetches files in order, so a file's share is what lies past the files before it, capped at its size.
/// (A later file already on disk counts as done from the start, so it shows early in an earlier file's
/// line; the lines end right when the download completes.) Without every size, one line for the whole.
/// </summary>
internal sealed class OllamaPullProgress
{
    private readonly IReadOnlyList<DownloadPartView> _parts;
    private readonly bool _perFile;
    private readonly long?[] _shown;

    public OllamaPullProgress(IReadOnlyList<DownloadPartView> parts)
    {
        _parts = parts;
        _perFile = parts.Count > 0 && parts.All(p => p.Size is not null);
        _shown = new long?[_perFile ? parts.Count : 1];
    }

    /// <summary>The lines for what moved since the last view; a completed view ends every line at its total.</summary>
    public IEnumerable<JsonObject> LinesFor(DownloadView view)
    {
        var completed = view.State == "completed";
        if (!_perFile)
        {
            var total = view.Total ?? view.Bytes;
            var done = completed ? total : view.Bytes;
            if (Moved(0, done))
            {
                yield return Line(_parts.FirstOrDefault(), view.Repo, total, done);
            }
            yield break;
        }
        long before = 0;
        for (var i = 0; i < _parts.Count; i++)
        {
            var part = _parts[i];
            var size = part.Size!.Value;
            var done = completed ? size : Math.Clamp(view.Bytes - before, 0, size);
            before += size;
            // A file not reached yet gets its first line when it becomes the current one.
            var reached = done > 0 || string.Equals(view.CurrentFile, part.Path, StringComparison.Ordinal);
            if (reached && Moved(i, done))
            {
                yield return Line(part, view.Repo, size, done);
            }
        }
    }

    private bool Moved(int index, long done)
    {
        if (_shown[index] == done)
        {
            return false;
        }
        _shown[index] = done;
        return true;
    }

    private static JsonObject Line(DownloadPartView? part, string repo, long total, long completed)
    {
        var digest = part?.Sha256 is { Length: >= 12 } sha ? "sha256:" + sha : null;
        var line = new JsonObject { ["status"] = $"pulling {(digest is null ? part?.Path ?? repo : digest[7..19])}" };
        if (digest is not null)
        {
            line["digest"] = digest;
        }
        line["total"] = total;
        line["completed"] = completed;
        return line;
    }
}
