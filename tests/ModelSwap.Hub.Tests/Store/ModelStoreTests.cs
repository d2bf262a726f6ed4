using ModelSwap.Hub.Downloads;
using ModelSwap.Hub.Store;
using ModelSwap.Testing.HuggingFace;

namespace ModelSwap.Hub.Tests.Store;

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
    public void Lists_models_with_parts_sizes_and_mmproj_and_ignores_partial_downloads()
    {
        var single = Write("a/Alpha-Q4_K_M.gguf", 100);
        var p1 = Write("b/Beta-Q8_0-00001-of-00002.gguf", 200);
        var p2 = Write("b/Beta-Q8_0-00002-of-00002.gguf", 50);
        var projector = Write("b/mmproj-Beta-F16.gguf", 30);
        Write("c/Gamma-Q4_0.gguf.part", 10);
        File.WriteAllText(Path.Combine(ModelsDir, "c", "notes.txt"), "x");

        var models = new ModelStore([ModelsDir]).List();

        Assert.Equal(2, models.Count);
        var alpha = models.Single(m => m.Name == "Alpha-Q4_K_M");
        Assert.Equal(single, alpha.Path);
        Assert.Equal(100, alpha.SizeBytes);
        Assert.Null(alpha.Projector);
        Assert.Null(alpha.Origin);
        var beta = models.Single(m => m.Name == "Beta-Q8_0");
        Assert.Equal([p1, p2], beta.Files);
        Assert.Equal(250, beta.SizeBytes);
        Assert.Equal(projector, beta.Projector);
        Assert.True(beta.IsComplete);
    }

    [Fact]
    public void A_loaded_model_is_refused_unless_forced()
    {
        var path = Write("Alpha-Q4_K_M.gguf", 10);
        var store = new ModelStore([ModelsDir]);

        var refused = Assert.Throws<ModelStoreException>(() => store.Delete("Alpha-Q4_K_M", isLoaded: m => m.Path == path));
        Assert.Equal(ModelStoreError.InUse, refused.Kind);
        Assert.Contains("--force", refused.Message);
        Assert.True(File.Exists(path));

        var result = store.Delete("Alpha-Q4_K_M", force: true, isLoaded: _ => true);
        Assert.Equal([path], result.DeletedFiles);
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Paths_outside_the_models_dir_are_refused_and_left_alone()
    {
        var outside = Path.Combine(_root, "elsewhere", "Victim-Q4_K_M.gguf");
        Directory.CreateDirectory(Path.GetDirectoryName(outside)!);
        File.WriteAllBytes(outside, new byte[10]);
        var store = new ModelStore([ModelsDir]);

        var absolute = Assert.Throws<ModelStoreException>(() => store.Delete(outside));
        var relative = Assert.Throws<ModelStoreException>(() => store.Delete("../elsewhere/Victim-Q4_K_M.gguf"));

        Assert.Equal(ModelStoreError.OutsideModelsDir, absolute.Kind);
        Assert.Equal(ModelStoreError.OutsideModelsDir, relative.Kind);
        Assert.True(File.Exists(outside));
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

        Assert.Empty(store.List());
        var error = Assert.Throws<ModelStoreException>(() => store.Delete(Path.Combine(ModelsDir, "link", "Victim-Q4_K_M.gguf")));

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
        var store = new ModelStore([ModelsDir]);

        Assert.Equal(42, Assert.Single(store.List()).SizeBytes);
        store.Delete("Real-Q4_K_M");

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

        var result = new ModelStore([ModelsDir]).Delete("r/Big-Q8_0-00002-of-00003.gguf");

        Assert.Equal([p1, p2, p3], result.DeletedFiles);
        Assert.All(new[] { p1, p2, p3, p3 + ".part.json" }, p => Assert.False(File.Exists(p)));
        Assert.True(File.Exists(other));
    }

    [Fact]
    public void A_shared_mmproj_is_kept_until_its_last_model_goes()
    {
        Write("r/Vision-Q4_K_M.gguf", 10);
        Write("r/Vision-Q8_0.gguf", 20);
        var projector = Write("r/mmproj-Vision-F16.gguf", 5);
        var store = new ModelStore([ModelsDir]);

        var first = store.Delete("Vision-Q4_K_M");
        Assert.Equal([projector], first.KeptFiles);
        Assert.True(File.Exists(projector));

        var second = store.Delete("Vision-Q8_0");
        Assert.Contains(projector, second.DeletedFiles);
        Assert.False(File.Exists(projector));
        Assert.False(Directory.Exists(Path.Combine(ModelsDir, "r")));
        Assert.True(Directory.Exists(ModelsDir));
    }

    [Fact]
    public void Unknown_and_ambiguous_names_are_clear_errors()
    {
        Write("a/Same-Q4_0.gguf", 1);
        Write("b/Same-Q4_0.gguf", 1);
        var store = new ModelStore([ModelsDir]);

        Assert.Equal(ModelStoreError.NotFound, Assert.Throws<ModelStoreException>(() => store.Delete("Nope")).Kind);
        var ambiguous = Assert.Throws<ModelStoreException>(() => store.Delete("Same-Q4_0"));
        Assert.Equal(ModelStoreError.Ambiguous, ambiguous.Kind);
        Assert.Contains(Path.Combine(ModelsDir, "a", "Same-Q4_0.gguf"), ambiguous.Message);
        Assert.Equal(2, store.List().Count);
    }

    [Fact]
    public async Task A_pulled_model_is_listed_with_its_origin_and_deleting_it_clears_the_manifest()
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

        var model = Assert.Single(store.List());
        Assert.Equal("org/Pulled-GGUF@main", model.Origin?.ToString());
        Assert.EndsWith("mmproj-Pulled-F16.gguf", model.Projector);
        store.Delete("Pulled-Q4_K_M");

        Assert.Empty(store.List());
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
