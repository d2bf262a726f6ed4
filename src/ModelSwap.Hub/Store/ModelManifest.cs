using System.Collections.Concurrent;
using System.Text.Json;

namespace ModelSwap.Hub.Store;

/// <summary>
/// The `.modelswap-manifest.json` of a models dir: repo@revision of every downloaded model. Writes are
/// read-modify-write under a per-file lock (in this process) and a lock file (across processes: a CLI
/// pull and the service's download finishing together), and land by atomic rename, so two finishing
/// downloads do not lose each other's entry and a crash never leaves half a file.
/// </summary>
internal static class ModelManifest
{
    public const string FileName = ".modelswap-manifest.json";

    private static readonly ConcurrentDictionary<string, object> Locks = new(StringComparer.Ordinal);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static IReadOnlyList<ManifestEntry> Load(string modelsDir)
    {
        var path = PathFor(modelsDir);
        lock (LockFor(path))
        {
            return Read(path);
        }
    }

    public static void Upsert(string modelsDir, IEnumerable<ManifestEntry> entries) => Update(modelsDir, list =>
    {
        foreach (var entry in entries)
        {
            list.RemoveAll(e => string.Equals(e.Path, entry.Path, StringComparison.Ordinal));
            list.Add(entry);
        }
    });

    public static void Remove(string modelsDir, string relativePath) =>
        Update(modelsDir, list => list.RemoveAll(e => string.Equals(e.Path, relativePath, StringComparison.Ordinal)));

    private static void Update(string modelsDir, Action<List<ManifestEntry>> change)
    {
        var path = PathFor(modelsDir);
        lock (LockFor(path))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var crossProcess = AcquireLockFile(path + ".lock");
            var list = Read(path).ToList();
            change(list);
            var temp = $"{path}.{Environment.ProcessId}.tmp";
            File.WriteAllText(temp, JsonSerializer.Serialize(new ManifestDocument(1, list.OrderBy(e => e.Path, StringComparer.Ordinal).ToList()), Json));
            File.Move(temp, path, overwrite: true);
        }
    }

    private static List<ManifestEntry> Read(string path)
    {
        try
        {
            if (!File.Exists(path))
            {
                return [];
            }
            var doc = JsonSerializer.Deserialize<ManifestDocument>(File.ReadAllText(path), Json);
            return doc?.Models?.Where(e => e is { Path: not null, Repo: not null }).ToList() ?? [];
        }
        catch (JsonException)
        {
            // A damaged manifest only loses origins ("unknown"); it must never stop listing or deleting models.
            return [];
        }
        catch (IOException)
        {
            return [];
        }
    }

    /// <summary>
    /// An exclusive open of the lock file; .NET turns FileShare.None into an advisory lock that other
    /// .NET processes honour. Waits up to 30 s, then gives up with a clear error.
    /// </summary>
    internal static FileStream AcquireLockFile(string lockPath)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }
            catch (IOException ex)
            {
                throw new IOException($"the models manifest is locked by another process ({lockPath}) for over 30 s", ex);
            }
        }
    }

    private static string PathFor(string modelsDir) => Path.Combine(PathSafety.NormalizeRoot(modelsDir), FileName);

    private static object LockFor(string path) => Locks.GetOrAdd(path, _ => new object());

    private sealed record ManifestDocument(int Version, List<ManifestEntry> Models);
}
