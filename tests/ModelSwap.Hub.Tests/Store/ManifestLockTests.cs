using ModelSwap.Hub.Store;

namespace ModelSwap.Hub.Tests.Store;

/// <summary>The manifest's lock file keeps another process's writer out while one writes.</summary>
public sealed class ManifestLockTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("modelswap-manifest-").FullName;

    [Fact]
    public async Task A_write_waits_while_another_holder_has_the_lock_file_and_then_keeps_both_entries()
    {
        var lockPath = Path.Combine(_dir, ModelManifest.FileName + ".lock");
        Task write;
        using (ModelManifest.AcquireLockFile(lockPath))
        {
            // Another "process" holds the lock: the write must wait for it.
            write = Task.Run(() => ModelManifest.Upsert(_dir, [Entry("a.gguf")]));
            await Task.Delay(300);
            Assert.False(write.IsCompleted, "the manifest was written while another holder had the lock");
        }
        await write.WaitAsync(TimeSpan.FromMinutes(2));
        ModelManifest.Upsert(_dir, [Entry("b.gguf")]);
        Assert.Equal(["a.gguf", "b.gguf"], ModelManifest.Load(_dir).Select(e => e.Path).Order(StringComparer.Ordinal).ToArray());
    }

    private static ManifestEntry Entry(string path) =>
        new(path, "org/repo", "main", Commit: null, Files: [], Projector: null, DownloadedAt: DateTimeOffset.UnixEpoch);

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
