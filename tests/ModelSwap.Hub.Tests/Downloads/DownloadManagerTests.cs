using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using ModelSwap.Hub.Downloads;
using ModelSwap.Hub.Store;
using ModelSwap.Testing.HuggingFace;

namespace ModelSwap.Hub.Tests.Downloads;

public sealed class DownloadManagerTests : HubTestBase
{
    private const string Repo = "org/Model-GGUF";
    private const string File1 = "Model-Q4_K_M.gguf";

    [Fact]
    public async Task Download_verifies_sha256_places_the_file_and_records_its_origin()
    {
        var served = AddModel(Repo, File1, 1_000_000);
        var manager = Manager();
        DownloadCompleted? completed = null;
        manager.Completed += (_, e) => completed = e;

        // No size or sha in the request: the manager reads them from the file list.
        var job = manager.Enqueue(new DownloadRequest(Repo, "main", [new DownloadFile(File1)]));
        var status = await Finished(job);

        Assert.Equal(DownloadState.Completed, status.State);
        Assert.Null(status.Error);
        Assert.Equal(1_000_000, status.BytesDownloaded);
        Assert.Equal(1_000_000, status.TotalBytes);
        var final = FinalPath(Repo, File1);
        Assert.Equal(served.Sha256, Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(final))));
        Assert.False(File.Exists(final + ".part"));
        Assert.False(File.Exists(final + ".part.json"));
        Assert.NotNull(completed);
        Assert.Equal([final], completed!.ModelPaths);
        var (path, entry) = Assert.Single(new ModelStore([ModelsDir]).ManifestEntries());
        Assert.Equal(final, path);
        Assert.Equal(1_000_000, Assert.Single(entry.Files).Size);
        Assert.Equal((Repo, "main"), (entry.Repo, entry.Revision));
        Assert.Equal(Mirror.FindRepo(Repo)!.Commit, entry.Commit);
    }

    [Fact]
    public async Task Split_parts_and_mmproj_come_together_in_one_job()
    {
        var repo = Mirror.AddRepo(Repo);
        var p1 = repo.AddFile("Q8_0/Model-Q8_0-00001-of-00002.gguf", MirrorFile.RandomGguf(300_000, 1));
        var p2 = repo.AddFile("Q8_0/Model-Q8_0-00002-of-00002.gguf", MirrorFile.RandomGguf(200_000, 2));
        var mm = repo.AddFile("mmproj-Model-F16.gguf", MirrorFile.RandomGguf(50_000, 3));
        var manager = Manager();

        var job = manager.Enqueue(new DownloadRequest(Repo, "main",
            [new DownloadFile(p1.Path, p1.Size, p1.Sha256), new DownloadFile(p2.Path, p2.Size, p2.Sha256), new DownloadFile(mm.Path, mm.Size, mm.Sha256)]));
        var status = await Finished(job);

        Assert.Equal(DownloadState.Completed, status.State);
        Assert.Equal(550_000, status.BytesDownloaded);
        var (path, entry) = Assert.Single(new ModelStore([ModelsDir]).ManifestEntries());
        Assert.Equal(FinalPath(Repo, p1.Path), path);
        Assert.Equal(2, entry.Files.Count);
        Assert.True(File.Exists(FinalPath(Repo, p2.Path)));
        Assert.Equal(FinalPath(Repo, mm.Path), Path.Combine(ModelsDir, entry.Projector!));
    }

    [Fact]
    public async Task A_dropped_connection_is_resumed_with_Range_in_process()
    {
        var served = AddModel(Repo, File1, 1_000_000);
        Mirror.DropConnectionAt(Repo, File1, 300_000);
        var manager = Manager();

        var status = await Finished(manager.Enqueue(new DownloadRequest(Repo, "main", [new DownloadFile(File1, served.Size, served.Sha256)])));

        Assert.Equal(DownloadState.Completed, status.State);
        var resolves = Mirror.Requests.Where(r => r.Path.Contains("/resolve/")).ToList();
        Assert.Equal(2, resolves.Count);
        Assert.Null(resolves[0].Range);
        Assert.Equal("bytes=300000-", resolves[1].Range);
        Assert.Equal(served.Sha256, Sha(FinalPath(Repo, File1)));
    }

    [Fact]
    public async Task A_reset_connection_mid_body_is_resumed_too()
    {
        var served = AddModel(Repo, File1, 1_000_000);
        Mirror.DropConnectionAt(Repo, File1, 500_000, times: 2, abort: true);
        var manager = Manager();

        var status = await Finished(manager.Enqueue(new DownloadRequest(Repo, "main", [new DownloadFile(File1, served.Size, served.Sha256)])));

        Assert.Equal(DownloadState.Completed, status.State);
        Assert.Equal(3, Mirror.Requests.Count(r => r.Path.Contains("/resolve/")));
        Assert.Equal(served.Sha256, Sha(FinalPath(Repo, File1)));
    }

    [Fact]
    public async Task A_stalled_body_is_treated_as_a_drop_and_resumed()
    {
        var served = AddModel(Repo, File1, 700_000);
        var hold = Mirror.HoldAt(Repo, File1, 350_000);
        await using var manager = new DownloadManager(
            new DownloadManagerOptions(ModelsDir) { StallTimeout = TimeSpan.FromMilliseconds(300), ResumeDelay = TimeSpan.FromMilliseconds(10) },
            Hub());

        var status = await Finished(manager.Enqueue(new DownloadRequest(Repo, "main", [new DownloadFile(File1)])));
        hold.Release();

        Assert.Equal(DownloadState.Completed, status.State);
        // Contains, not Last: on a loaded machine another 300 ms gap may count as a stall and resume again later.
        Assert.Contains(Mirror.Requests, r => r.Path.Contains("/resolve/") && r.Range == "bytes=350000-");
        Assert.Equal(served.Sha256, Sha(FinalPath(Repo, File1)));
    }

    [Fact]
    public async Task A_new_manager_resumes_the_part_left_by_an_earlier_process()
    {
        var served = AddModel(Repo, File1, 1_000_000);
        Mirror.DropConnectionAt(Repo, File1, 400_000);
        var first = Manager(maxResumeAttempts: 0);
        var failed = await Finished(first.Enqueue(new DownloadRequest(Repo, "main", [new DownloadFile(File1)])));
        await first.DisposeAsync();
        var part = FinalPath(Repo, File1) + ".part";
        var kept = new FileInfo(part).Length;

        var second = Manager();
        var status = await Finished(second.Enqueue(new DownloadRequest(Repo, "main", [new DownloadFile(File1)])));

        Assert.Equal(DownloadState.Failed, failed.State);
        Assert.Contains("run the same pull again to resume", failed.Error);
        Assert.Equal(400_000, kept);
        Assert.Equal(DownloadState.Completed, status.State);
        Assert.Equal($"bytes={kept}-", Mirror.Requests.Last(r => r.Path.Contains("/resolve/")).Range);
        Assert.Equal(served.Sha256, Sha(FinalPath(Repo, File1)));
        Assert.False(File.Exists(part));
    }

    [Fact]
    public async Task A_server_that_ignores_Range_makes_the_resume_start_over_and_still_verify()
    {
        var served = AddModel(Repo, File1, 600_000);
        Mirror.DropConnectionAt(Repo, File1, 200_000);
        var first = Manager(maxResumeAttempts: 0);
        Assert.Equal(DownloadState.Failed, (await Finished(first.Enqueue(new DownloadRequest(Repo, "main", [new DownloadFile(File1)])))).State);
        Mirror.IgnoreRange = true;

        var status = await Finished(Manager().Enqueue(new DownloadRequest(Repo, "main", [new DownloadFile(File1)])));

        Assert.Equal(DownloadState.Completed, status.State);
        Assert.Equal(600_000, status.BytesDownloaded);
        Assert.Equal(served.Sha256, Sha(FinalPath(Repo, File1)));
    }

    [Fact]
    public async Task A_part_from_a_file_that_changed_since_is_not_resumed()
    {
        AddModel(Repo, File1, 600_000, seed: 1);
        Mirror.DropConnectionAt(Repo, File1, 200_000);
        Assert.Equal(DownloadState.Failed, (await Finished(Manager(maxResumeAttempts: 0).Enqueue(new DownloadRequest(Repo, "main", [new DownloadFile(File1)])))).State);
        var changed = AddModel(Repo, File1, 600_000, seed: 2);

        var status = await Finished(Manager().Enqueue(new DownloadRequest(Repo, "main", [new DownloadFile(File1)])));

        Assert.Equal(DownloadState.Completed, status.State);
        Assert.Null(Mirror.Requests.Last(r => r.Path.Contains("/resolve/")).Range);
        Assert.Equal(changed.Sha256, Sha(FinalPath(Repo, File1)));
    }

    [Fact]
    public async Task Corrupted_bytes_are_rejected_and_no_model_appears()
    {
        AddModel(Repo, File1, 500_000);
        Mirror.Corrupt(Repo, File1);
        var manager = Manager();

        var status = await Finished(manager.Enqueue(new DownloadRequest(Repo, "main", [new DownloadFile(File1)])));

        Assert.Equal(DownloadState.Failed, status.State);
        Assert.Contains("sha256 mismatch", status.Error);
        Assert.False(File.Exists(FinalPath(Repo, File1)));
        Assert.False(File.Exists(FinalPath(Repo, File1) + ".part"));
        Assert.False(File.Exists(FinalPath(Repo, File1) + ".part.json"));
        Assert.Empty(new ModelStore([ModelsDir]).ManifestEntries());
    }

    [Fact]
    public async Task A_cross_host_redirect_drops_the_token()
    {
        var served = AddModel(Repo, File1, 200_000);
        Mirror.FindRepo(Repo)!.RequiredToken = "hf_tok";
        Mirror.RedirectResolveToCdn = true;
        var manager = Manager(token: "hf_tok");

        var status = await Finished(manager.Enqueue(new DownloadRequest(Repo, "main", [new DownloadFile(File1)])));

        Assert.Equal(DownloadState.Completed, status.State);
        var primary = Mirror.Endpoint.Authority;
        var cdn = Mirror.CdnEndpoint.Authority;
        Assert.NotEqual(primary, cdn);
        var resolve = Assert.Single(Mirror.Requests, r => r.Path.Contains("/resolve/"));
        Assert.Equal(primary, resolve.Host);
        Assert.Equal("Bearer hf_tok", resolve.Authorization);
        var cdnRequest = Assert.Single(Mirror.Requests, r => r.Host == cdn);
        Assert.Null(cdnRequest.Authorization);
        Assert.Equal(served.Sha256, Sha(FinalPath(Repo, File1)));
    }

    [Fact]
    public async Task A_gated_download_fails_with_the_licence_and_HF_TOKEN_hint()
    {
        var served = AddModel(Repo, File1, 1000);
        Mirror.FindRepo(Repo)!.RequiredToken = "hf_tok";

        var status = await Finished(Manager().Enqueue(new DownloadRequest(Repo, "main", [new DownloadFile(File1, served.Size, served.Sha256)])));

        Assert.Equal(DownloadState.Failed, status.State);
        Assert.Contains("accept the licence", status.Error);
        Assert.Contains("HF_TOKEN", status.Error);
        Assert.False(File.Exists(FinalPath(Repo, File1) + ".part"));
    }

    [Fact]
    public async Task Cancel_removes_the_part()
    {
        AddModel(Repo, File1, 800_000);
        var hold = Mirror.HoldAt(Repo, File1, 300_000);
        var manager = Manager();
        var job = manager.Enqueue(new DownloadRequest(Repo, "main", [new DownloadFile(File1)]));
        await hold.Reached.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(manager.Cancel(job.Id));
        var status = await Finished(job);
        hold.Release();

        Assert.Equal(DownloadState.Cancelled, status.State);
        Assert.False(File.Exists(FinalPath(Repo, File1) + ".part"));
        Assert.False(File.Exists(FinalPath(Repo, File1) + ".part.json"));
        Assert.False(File.Exists(FinalPath(Repo, File1)));
        Assert.False(manager.Cancel(job.Id));
    }

    [Fact]
    public async Task Cancel_with_keep_partial_leaves_a_resumable_part()
    {
        var served = AddModel(Repo, File1, 800_000);
        var hold = Mirror.HoldAt(Repo, File1, 300_000);
        var manager = Manager();
        var job = manager.Enqueue(new DownloadRequest(Repo, "main", [new DownloadFile(File1)]));
        await hold.Reached.WaitAsync(TimeSpan.FromMinutes(2));
        // The server is paused; wait until the client has written what was sent before cancelling.
        await WaitUntil(() => File.Exists(FinalPath(Repo, File1) + ".part.json") && job.BytesDownloaded + new FileInfo(FinalPath(Repo, File1) + ".part").Length > 0);

        manager.Cancel(job.Id, keepPartial: true);
        var status = await Finished(job);
        hold.Release();
        var part = new FileInfo(FinalPath(Repo, File1) + ".part");
        Assert.Equal(DownloadState.Cancelled, status.State);
        Assert.True(part.Exists);
        Assert.True(File.Exists(part.FullName + ".json"));
        var kept = part.Length;

        var resumed = await Finished(manager.Enqueue(new DownloadRequest(Repo, "main", [new DownloadFile(File1)])));
        Assert.Equal(DownloadState.Completed, resumed.State);
        Assert.Equal($"bytes={kept}-", Mirror.Requests.Last(r => r.Path.Contains("/resolve/")).Range);
        Assert.Equal(served.Sha256, Sha(FinalPath(Repo, File1)));
    }

    [Fact]
    public async Task Resume_runs_a_cancelled_job_again_under_its_id_from_the_kept_part()
    {
        var served = AddModel(Repo, File1, 800_000);
        var hold = Mirror.HoldAt(Repo, File1, 300_000);
        var manager = Manager();
        var job = manager.Enqueue(new DownloadRequest(Repo, "main", [new DownloadFile(File1)]));
        await hold.Reached.WaitAsync(TimeSpan.FromMinutes(2));
        await WaitUntil(() => File.Exists(FinalPath(Repo, File1) + ".part.json") && job.BytesDownloaded + new FileInfo(FinalPath(Repo, File1) + ".part").Length > 0);
        manager.Cancel(job.Id, keepPartial: true);
        await Finished(job);
        hold.Release();
        var kept = new FileInfo(FinalPath(Repo, File1) + ".part").Length;

        var resumed = manager.Resume(job.Id)!;
        Assert.Equal(job.Id, resumed.Id);
        Assert.Same(resumed, manager.Resume(job.Id)); // resuming a running job returns it
        Assert.Equal(DownloadState.Completed, (await Finished(resumed)).State);
        Assert.Equal($"bytes={kept}-", Mirror.Requests.Last(r => r.Path.Contains("/resolve/")).Range);
        Assert.Equal(served.Sha256, Sha(FinalPath(Repo, File1)));
        Assert.Same(resumed, Assert.Single(manager.List()));

        Assert.Equal(DownloadFailure.Conflict, Assert.Throws<DownloadException>(() => manager.Resume(job.Id)).Kind);
        Assert.Null(manager.Resume("dl-unknown"));
    }

    [Fact]
    public async Task Queued_jobs_wait_for_a_free_slot_and_can_be_cancelled_while_queued()
    {
        AddModel(Repo, File1, 400_000, seed: 1);
        AddModel("org/Other-GGUF", "Other-Q4_0.gguf", 1000, seed: 2);
        var hold = Mirror.HoldAt(Repo, File1, 100_000);
        var manager = Manager(concurrency: 1);
        var running = manager.Enqueue(new DownloadRequest(Repo, "main", [new DownloadFile(File1)]));
        await hold.Reached.WaitAsync(TimeSpan.FromMinutes(2));
        var queued = manager.Enqueue(new DownloadRequest("org/Other-GGUF", "main", [new DownloadFile("Other-Q4_0.gguf")]));

        Assert.Equal(DownloadState.Queued, queued.State);
        Assert.True(manager.Cancel(queued.Id));
        Assert.Equal(DownloadState.Cancelled, (await Finished(queued)).State);
        hold.Release();

        Assert.Equal(DownloadState.Completed, (await Finished(running)).State);
        Assert.Equal([running.Id, queued.Id], manager.List().Select(j => j.Id));
        Assert.DoesNotContain(Mirror.Requests, r => r.Path.Contains("Other-Q4_0"));
    }

    [Fact]
    public async Task Not_enough_free_space_fails_before_downloading()
    {
        AddModel(Repo, File1, 500_000);
        var manager = Manager(freeSpace: new FixedFreeSpace(100_000));

        var status = await Finished(manager.Enqueue(new DownloadRequest(Repo, "main", [new DownloadFile(File1)])));

        Assert.Equal(DownloadState.Failed, status.State);
        Assert.Contains("Not enough free space", status.Error);
        Assert.Contains("488.28 KiB", status.Error);
        Assert.DoesNotContain(Mirror.Requests, r => r.Path.Contains("/resolve/"));
        Assert.False(File.Exists(FinalPath(Repo, File1) + ".part"));
    }

    [Fact]
    public async Task A_429_on_the_file_is_retried_then_the_download_succeeds()
    {
        var served = AddModel(Repo, File1, 100_000);
        Mirror.FailNext(429, 1, "/resolve/", retryAfter: TimeSpan.FromSeconds(1));

        var status = await Finished(Manager().Enqueue(new DownloadRequest(Repo, "main", [new DownloadFile(File1)])));

        Assert.Equal(DownloadState.Completed, status.State);
        Assert.Equal(2, Mirror.Requests.Count(r => r.Path.Contains("/resolve/")));
        Assert.Equal(served.Sha256, Sha(FinalPath(Repo, File1)));
    }

    [Fact]
    public async Task Progress_events_are_throttled_per_interval_and_end_with_a_final_event()
    {
        AddModel(Repo, File1, 2_000_000);
        // Time stands still: only the first running event fits in the 100 ms interval, then the final one.
        var manager = Manager(time: new FakeTimeProvider(DateTimeOffset.UtcNow));
        var events = new List<DownloadProgress>();
        manager.ProgressChanged += (_, e) => { lock (events) { events.Add(e); } };

        var job = manager.Enqueue(new DownloadRequest(Repo, "main", [new DownloadFile(File1)]));
        await Finished(job);

        lock (events)
        {
            Assert.Single(events, e => e.Status.State == DownloadState.Running);
            var last = events[^1];
            Assert.True(last.IsFinal);
            Assert.Equal(DownloadState.Completed, last.Status.State);
            Assert.Equal(2_000_000, last.Status.BytesDownloaded);
            Assert.Single(events, e => e.IsFinal);
        }
    }

    [Fact]
    public async Task Enqueuing_the_same_files_twice_returns_the_running_job_and_a_finished_file_is_not_fetched_again()
    {
        AddModel(Repo, File1, 300_000);
        var hold = Mirror.HoldAt(Repo, File1, 1000);
        var manager = Manager();
        var request = new DownloadRequest(Repo, "main", [new DownloadFile(File1)]);
        var first = manager.Enqueue(request);
        await hold.Reached.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Same(first, manager.Enqueue(request));
        hold.Release();
        Assert.Equal(DownloadState.Completed, (await Finished(first)).State);
        var again = await Finished(manager.Enqueue(request));

        Assert.Equal(DownloadState.Completed, again.State);
        Assert.Single(Mirror.Requests, r => r.Path.Contains("/resolve/"));
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached within 2 minutes");
            await Task.Delay(10);
        }
    }

    private static string Sha(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));

    private sealed class FixedFreeSpace(long bytes) : IFreeSpaceProvider
    {
        public long GetAvailableBytes(string directory) => bytes;
    }
}
