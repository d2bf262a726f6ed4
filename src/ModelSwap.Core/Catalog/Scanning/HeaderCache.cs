using ModelSwap.Core.Catalog.Gguf;

namespace ModelSwap.Core.Catalog.Scanning;

/// <summary>
/// Headers read by earlier scans, keyed by path and valid while the file keeps its size and
/// modification time. A rescan after one file changed then reads one header, not all of them;
/// a broken file's error is cached too, so it is not re-parsed every second while it stays broken.
/// </summary>
internal sealed class HeaderCache
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The summary, or the reason the file cannot be used.</summary>
    public (HeaderSummary? Summary, string? Error) Get(ModelFile file)
    {
        if (_entries.TryGetValue(file.Path, out var cached) && cached.Length == file.Length && cached.LastWrite == file.LastWrite)
        {
            return (cached.Summary, cached.Error);
        }
        HeaderSummary? summary = null;
        string? error = null;
        try
        {
            summary = HeaderSummary.Read(file.Path);
        }
        catch (GgufFormatException ex)
        {
            error = $"not a readable GGUF file: {ex.Problem} (at byte {ex.Offset})";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = $"cannot read the file: {ex.Message}";
        }
        _entries[file.Path] = new Entry(file.Length, file.LastWrite, summary, error);
        return (summary, error);
    }

    /// <summary>Forgets files that were not seen in the latest scan.</summary>
    public void Retain(IEnumerable<ModelFile> seen)
    {
        var keep = seen.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
        foreach (var path in _entries.Keys.Where(p => !keep.Contains(p)).ToList())
        {
            _entries.Remove(path);
        }
    }

    private sealed record Entry(long Length, DateTimeOffset LastWrite, HeaderSummary? Summary, string? Error);
}
