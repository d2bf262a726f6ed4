using ModelSwap.Hub.Downloads;
using ModelSwap.Hub.Store;
using ModelSwap.Testing.HuggingFace;

namespace ModelSwap.Hub.Tests.Store;

/// <summary>
/// Deletion of model files and the manifest. Which files make a model is the scanner's (Core) and the
/// inventory's (Gateway) business; their tests cover finding, naming and listing.
/// </summary>
public sealed class ModelStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "modelswap-store-" + Guid.NewGuid().ToString("N")[..12]);

    public ModelStoreTests()
    {
        Directory.CreateDirectory(ModelsDir);
    }

    private string ModelsDir => Path.Combine(_root, "models");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Paths_outside_the_models_dir_are_refused_before_any_file_is_touched()
    {
        var inside = Write("Alpha-Q4_K_M.gguf", 10);
        var outside = Path.Combine(_root, "elsewhere", "Victim-Q4_K_M.gguf");
        Directory.CreateDirectory(Path.GetDirectoryName(outside)!);
        File.WriteAllBytes(outside, new byte[10]);
        var store = new ModelStore([ModelsDir]);

        var error = Assert.Throws<ModelStoreException>(() => store.Delete([inside, outside], null, keepProjector: false));
        var relative = Assert.Throws<ModelStoreException>(() => store.EnsureDeletable([Path.Combine(ModelsDir, "..", "elsewhere", "Victim-Q4_K_M.gguf")]));

        Assert.Equal(ModelStoreError.OutsideModelsDir, error.Kind);
        Assert.Equal(ModelStoreError.OutsideModelsDir, relative.Kind);
        Assert.Contains("not inside the models dir", error.Message);
        Assert.True(File.Exists(outside));
        Assert.True(File.Exists(inside));
    }

    [Fact]
    public void Symlinked_folders_are_not_followed_out_of_the_models_dir()
    {
        var outsideDir = Path.Combine(_root, "elsewhere");
        Directory.CreateDirectory(outsideDir);
        var victim = Path.Combine(outsideDir, "Victim-Q4_K_M.gguf");
        File.WriteAllBytes(victim, new byte[10]);
        Directory.CreateSymbolicLink(Path.Combine(ModelsDir, "link"), outsideDir);
        var store = new ModelStore([ModelsDir]);

        var error = Assert.Throws<ModelStoreException>(() => store.Delete([Path.Combine(ModelsDir, "link", "Victim-Q4_K_M.gguf")], null, false));

        Assert.Equal(ModelStoreError.OutsideModelsDir, error.Kind);
        Assert.True(File.Exists(victim));
    }

    [Fact]
    public void A_symlinked_model_file_is_deleted_as_a_link_only()
    {
        var target = Path.Combine(_root, "elsewhere", "Real-Q4_K_M.gguf");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllBytes(target, new byte[42]);
        var link = Path.Combine(ModelsDir, "Real-Q4_K_M.gguf");
        File.CreateSymbolicLink(link, target);

        new ModelStore([ModelsDir]).Delete([link], null, false);

        Assert.False(File.Exists(link));
        Assert.True(File.Exists(target));
    }

    [Fact]
    public void Deleting_a_split_model_removes_every_part_and_its_leftover_partials()
    {
        var p1 = Write("r/Big-Q8_0-00001-of-00003.gguf", 10);
        var p2 = Write("r/Big-Q8_0-00002-of-00003.gguf", 10);
        var p3 = Write("r/Big-Q8_0-00003-of-00003.gguf", 10);
        var other = Write("r/Small-Q4_0.gguf", 10);
        File.WriteAllText(p3 + ".part.json", "{}");

        var result = new ModelStore([ModelsDir]).Delete([p1, p2, p3], null, false);

        Assert.Equal([p1, p2, p3], result.DeletedFiles);
        Assert.All(new[] { p1, p2, p3, p3 + ".part.json" }, p => Assert.False(File.Exists(p)));
        Assert.True(File.Exists(other));
    }

    [Fact]
    public void A_projector_is_kept_while_shared_and_empty_folders_go_with_the_last_model()
    {
        var q4 = Write("r/Vision-Q4_K_M.gguf", 10);
        var q8 = Write("r/Vision-Q8_0.gguf", 20);
        var projector = Write("r/mmproj-Vision-F16.gguf", 5);
        var store = new ModelStore([ModelsDir]);

        var first = store.Delete([q4], projector, keepProjector: true);
        Assert.Equal([projector], first.KeptFiles);
        Assert.True(File.Exists(projector));

        var second = store.Delete([q8], projector, keepProjector: false);
        Assert.Contains(projector, second.DeletedFiles);
        Assert.False(File.Exists(projector));
        Assert.False(Directory.Exists(Path.Combine(ModelsDir, "r")));
        Assert.True(Directory.Exists(ModelsDir));
    }

    [Fact]
    public async Task A_pulled_model_has_its_origin_in_the_manifest_and_deleting_it_clears_the_entry()
    {
        ThreadPool.SetMinThreads(64, 64);
        await using var mirror = await HuggingFaceMirror.StartAsync();
        var repo = mirror.AddRepo("org/Pulled-GGUF");
        repo.AddFile("Pulled-Q4_K_M.gguf", MirrorFile.RandomGguf(5000, 1));
        repo.AddFile("mmproj-Pulled-F16.gguf", MirrorFile.RandomGguf(500, 2));
        await using (var manager = new DownloadManager(new DownloadManagerOptions(ModelsDir), new ModelSwap.Hub.HuggingFace.HubOptions(mirror.Endpoint)))
        {
            var job = manager.Enqueue(new DownloadRequest("org/Pulled-GGUF", "main", [new DownloadFile("Pulled-Q4_K_M.gguf"), new DownloadFile("mmproj-Pulled-F16.gguf")]));
            Assert.Equal(DownloadState.Completed, (await job.Completion.WaitAsync(TimeSpan.FromSeconds(60))).State);
        }
        var store = new ModelStore([ModelsDir]);
        var model = Path.Combine(ModelsDir, "org_Pulled-GGUF", "Pulled-Q4_K_M.gguf");
        var projector = Path.Combine(ModelsDir, "org_Pulled-GGUF", "mmproj-Pulled-F16.gguf");

        var entry = store.ManifestEntries()[model];
        Assert.Equal(("org/Pulled-GGUF", "main"), (entry.Repo, entry.Revision));
        Assert.EndsWith("mmproj-Pulled-F16.gguf", entry.Projector);
        Assert.All(entry.Files, f => Assert.Equal(64, f.Sha256?.Length));
        store.Delete([model], projector, keepProjector: false);

        Assert.Empty(store.ManifestEntries());
        Assert.DoesNotContain("Pulled", File.ReadAllText(Path.Combine(ModelsDir, ".modelswap-manifest.json")));
    }

    private string Write(string relative, int size)
    {
        var path = Path.Combine(ModelsDir, relative.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, new byte[size]);
        return path;
    }
}
