using ModelSwap.Hub.HuggingFace;
using ModelSwap.Testing.HuggingFace;

namespace ModelSwap.Hub.Tests.HuggingFace;

public sealed class HuggingFaceClientTests : HubTestBase
{
    [Fact]
    public async Task Search_sends_the_hub_query_and_parses_the_hub_fields()
    {
        Mirror.AddRepo("bartowski/Qwen2.5-7B-Instruct-GGUF", r => { r.Downloads = 500; r.Likes = 10; r.TrendingScore = 3; });
        Mirror.AddRepo("unsloth/Qwen3-8B-GGUF", r =>
        {
            r.Downloads = 100;
            r.Likes = 90;
            r.Gated = "manual";
            r.LastModified = new DateTimeOffset(2025, 5, 6, 7, 8, 9, TimeSpan.Zero);
        });
        Mirror.AddRepo("someone/qwen-lowlikes-GGUF", r => { r.Downloads = 900; r.Likes = 1; });
        Mirror.AddRepo("other/Qwen-safetensors", r => { r.Tags.Clear(); r.Tags.Add("safetensors"); r.Likes = 1000; });
        using var client = new HuggingFaceClient(Hub());

        var hits = await client.SearchAsync("qwen", HubSearchSort.Likes, limit: 2);

        Assert.Equal(["unsloth/Qwen3-8B-GGUF", "bartowski/Qwen2.5-7B-Instruct-GGUF"], hits.Select(h => h.Id));
        var top = hits[0];
        Assert.Equal("unsloth", top.Author);
        Assert.Equal(100, top.Downloads);
        Assert.Equal(90, top.Likes);
        Assert.Equal("manual", top.Gated);
        Assert.Equal(new DateTimeOffset(2025, 5, 6, 7, 8, 9, TimeSpan.Zero), top.LastModified);
        Assert.Contains("gguf", top.Tags);
        Assert.Null(hits[1].Gated);
        Assert.Equal(3, hits[1].TrendingScore);
        var query = Mirror.Requests.Single(r => r.Path == "/api/models").Query;
        Assert.Contains("filter=gguf", query);
        Assert.Contains("search=qwen", query);
        Assert.Contains("sort=likes", query);
        Assert.Contains("limit=2", query);
    }

    [Fact]
    public async Task Search_by_author_returns_only_that_author()
    {
        Mirror.AddRepo("bartowski/A-GGUF", r => r.Downloads = 5);
        Mirror.AddRepo("unsloth/B-GGUF", r => r.Downloads = 50);
        using var client = new HuggingFaceClient(Hub());

        var hits = await client.SearchAsync(null, HubSearchSort.Downloads, 20, author: "bartowski");

        Assert.Equal(["bartowski/A-GGUF"], hits.Select(h => h.Id));
        Assert.Contains("author=bartowski", Mirror.Requests.Single(r => r.Path == "/api/models").Query);
    }

    [Fact]
    public async Task File_list_groups_split_parts_reads_quants_and_lists_mmproj_apart()
    {
        var repo = Mirror.AddRepo("org/Vision-GGUF");
        var single = repo.AddFile("Vision-7B-Q4_K_M.gguf", MirrorFile.RandomGguf(1000, 1));
        var part2 = repo.AddFile("Q8_0/Vision-7B-Q8_0-00002-of-00002.gguf", MirrorFile.RandomGguf(700, 3));
        var part1 = repo.AddFile("Q8_0/Vision-7B-Q8_0-00001-of-00002.gguf", MirrorFile.RandomGguf(900, 2));
        var projector = repo.AddFile("mmproj-Vision-7B-F16.gguf", MirrorFile.RandomGguf(300, 4));
        repo.AddFile("README.md", "# hello"u8.ToArray(), lfs: false);
        Mirror.TreePageSize = 2; // forces the Link: rel="next" pages
        using var client = new HuggingFaceClient(Hub());

        var files = await client.ListFilesAsync("org/Vision-GGUF");

        Assert.Equal(5, files.Files.Count);
        Assert.Null(files.FindFile("README.md")!.Sha256);
        Assert.Equal(single.Sha256, files.FindFile(single.Path)!.Sha256);
        Assert.Equal(2, files.Variants.Count);
        var q4 = files.Variants.Single(v => v.Quantization == "Q4_K_M");
        Assert.False(q4.IsSplit);
        Assert.Equal(1000, q4.TotalSize);
        var q8 = files.Variants.Single(v => v.Quantization == "Q8_0");
        Assert.Equal([part1.Path, part2.Path], q8.Files.Select(f => f.Path));
        Assert.Equal(1600, q8.TotalSize);
        Assert.Equal([projector.Path], files.Projectors.Select(p => p.Path));
        Assert.True(Mirror.Requests.Count(r => r.Path.Contains("/tree/")) >= 3);
    }

    [Fact]
    public async Task Gated_repo_without_token_says_to_accept_the_licence_and_set_HF_TOKEN()
    {
        Mirror.AddRepo("meta/Gated-GGUF", r => r.RequiredToken = "hf_right").AddFile("m-Q4_K_M.gguf", MirrorFile.RandomGguf(10, 1));
        using var client = new HuggingFaceClient(Hub());

        var error = await Assert.ThrowsAsync<HubAccessException>(() => client.ListFilesAsync("meta/Gated-GGUF"));

        Assert.Equal(401, error.StatusCode);
        Assert.Contains("accept the licence", error.Message);
        Assert.Contains("HF_TOKEN", error.Message);
        Assert.Contains(new Uri(Mirror.Endpoint, "meta/Gated-GGUF").AbsoluteUri, error.Message);
    }

    [Fact]
    public async Task Gated_repo_with_a_wrong_token_is_403_and_the_token_never_appears()
    {
        Mirror.AddRepo("meta/Gated-GGUF", r => r.RequiredToken = "hf_right").AddFile("m-Q4_K_M.gguf", MirrorFile.RandomGguf(10, 1));
        using var wrong = new HuggingFaceClient(Hub("hf_secret_wrong_token"));
        using var right = new HuggingFaceClient(Hub("hf_right"));

        var error = await Assert.ThrowsAsync<HubAccessException>(() => wrong.ListFilesAsync("meta/Gated-GGUF"));
        var files = await right.ListFilesAsync("meta/Gated-GGUF");

        Assert.Equal(403, error.StatusCode);
        Assert.Contains("accept the licence", error.Message);
        Assert.DoesNotContain("hf_secret_wrong_token", error.ToString());
        Assert.DoesNotContain("hf_secret_wrong_token", Hub("hf_secret_wrong_token").ToString());
        Assert.Single(files.Variants);
    }

    [Fact]
    public async Task Missing_repo_is_a_clear_not_found()
    {
        using var client = new HuggingFaceClient(Hub());

        var error = await Assert.ThrowsAsync<HubException>(() => client.ListFilesAsync("nobody/Nothing-GGUF"));

        Assert.IsNotType<HubAccessException>(error);
        Assert.Contains("nobody/Nothing-GGUF was not found", error.Message);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(503)]
    public async Task A_429_or_5xx_once_is_retried_then_succeeds(int status)
    {
        AddModel("org/M-GGUF", "M-Q4_K_M.gguf", 100);
        Mirror.FailNext(status, 1, "/tree/", retryAfter: status == 429 ? TimeSpan.FromSeconds(1) : null);
        using var client = new HuggingFaceClient(Hub());

        var files = await client.ListFilesAsync("org/M-GGUF");

        Assert.Single(files.Variants);
        Assert.Equal(2, Mirror.Requests.Count(r => r.Path.Contains("/tree/")));
    }

    [Fact]
    public async Task Retries_give_up_with_a_message_after_persistent_429()
    {
        AddModel("org/M-GGUF", "M-Q4_K_M.gguf", 100);
        Mirror.FailNext(429, 10, "/tree/");
        using var client = new HuggingFaceClient(new HubOptions(Mirror.Endpoint) { RetryBaseDelay = TimeSpan.FromMilliseconds(5), MaxRetryAttempts = 2 });

        var error = await Assert.ThrowsAsync<HubException>(() => client.ListFilesAsync("org/M-GGUF"));

        Assert.Contains("429", error.Message);
        Assert.Equal(3, Mirror.Requests.Count(r => r.Path.Contains("/tree/")));
    }

    [Fact]
    public async Task No_retries_asks_once()
    {
        AddModel("org/M-GGUF", "M-Q4_K_M.gguf", 100);
        Mirror.FailNext(429, 10, "/tree/");
        using var client = new HuggingFaceClient(new HubOptions(Mirror.Endpoint) { MaxRetryAttempts = 0 });

        var error = await Assert.ThrowsAsync<HubException>(() => client.ListFilesAsync("org/M-GGUF"));

        Assert.Equal(429, error.StatusCode);
        Assert.Equal(1, Mirror.Requests.Count(r => r.Path.Contains("/tree/")));
    }

    [Fact]
    public async Task A_quantization_the_repo_lacks_is_a_404_and_an_ambiguous_one_a_400()
    {
        var repo = Mirror.AddRepo("org/Q-GGUF");
        repo.AddFile("a/Q-Q4_K_M.gguf", MirrorFile.RandomGguf(100, 1));
        repo.AddFile("b/Q-Q4_K_M.gguf", MirrorFile.RandomGguf(100, 2));
        using var client = new HuggingFaceClient(Hub());

        Assert.Equal(404, (await Assert.ThrowsAsync<HubException>(() => client.PlanPullAsync(ModelReference.Parse("org/Q-GGUF:Q8_0")))).StatusCode);
        Assert.Equal(400, (await Assert.ThrowsAsync<HubException>(() => client.PlanPullAsync(ModelReference.Parse("org/Q-GGUF:Q4_K_M")))).StatusCode);
    }

    [Fact]
    public async Task Plan_pull_picks_the_default_quant_with_its_F16_mmproj_whatever_the_quant()
    {
        var repo = Mirror.AddRepo("org/V-GGUF");
        repo.AddFile("V-Q8_0.gguf", MirrorFile.RandomGguf(300, 1));
        repo.AddFile("V-Q4_K_M.gguf", MirrorFile.RandomGguf(200, 2));
        repo.AddFile("V-IQ2_XXS.gguf", MirrorFile.RandomGguf(100, 3));
        repo.AddFile("mmproj-V-Q8_0.gguf", MirrorFile.RandomGguf(50, 4));
        repo.AddFile("mmproj-V-F16.gguf", MirrorFile.RandomGguf(60, 5));
        using var client = new HuggingFaceClient(Hub());

        var plan = await client.PlanPullAsync(ModelReference.Parse("hf.co/org/V-GGUF"));
        var q8 = await client.PlanPullAsync(ModelReference.Parse("org/V-GGUF:q8_0"));
        var missing = await Assert.ThrowsAsync<HubException>(() => client.PlanPullAsync(ModelReference.Parse("org/V-GGUF:Q5_K_M")));

        Assert.Equal(["V-Q4_K_M.gguf", "mmproj-V-F16.gguf"], plan.Files.Select(f => f.Path));
        Assert.All(plan.Files, f => Assert.NotNull(f.Sha256));
        // The projector is Core's ProjectorRule's: F16 before a quantized one, even for a Q8_0 model.
        Assert.Equal(["V-Q8_0.gguf", "mmproj-V-F16.gguf"], q8.Files.Select(f => f.Path));
        Assert.Contains("Available: ", missing.Message);
        Assert.Contains("Q4_K_M", missing.Message);
    }

    [Fact]
    public async Task Plan_pull_of_a_split_quant_in_a_subfolder_takes_the_top_level_generic_projector_and_never_another_models()
    {
        var repo = Mirror.AddRepo("org/Big-VL-GGUF");
        repo.AddFile("Big-VL-Q4_K_M.gguf", MirrorFile.RandomGguf(200, 1));
        repo.AddFile("Q8_0/Big-VL-Q8_0-00001-of-00002.gguf", MirrorFile.RandomGguf(300, 2));
        repo.AddFile("Q8_0/Big-VL-Q8_0-00002-of-00002.gguf", MirrorFile.RandomGguf(300, 3));
        repo.AddFile("mmproj-BF16.gguf", MirrorFile.RandomGguf(60, 4));
        repo.AddFile("mmproj-F32.gguf", MirrorFile.RandomGguf(90, 5));
        repo.AddFile("mmproj-F16.gguf", MirrorFile.RandomGguf(50, 6));
        var mixed = Mirror.AddRepo("org/Mixed-GGUF"); // two different models and a projector that names neither
        mixed.AddFile("Alpha-7B-Q4_K_M.gguf", MirrorFile.RandomGguf(100, 7));
        mixed.AddFile("Beta-3B-Q4_K_M.gguf", MirrorFile.RandomGguf(90, 8));
        mixed.AddFile("mmproj-model-f16.gguf", MirrorFile.RandomGguf(40, 9));
        using var client = new HuggingFaceClient(Hub());

        var q8 = await client.PlanPullAsync(ModelReference.Parse("org/Big-VL-GGUF:Q8_0"));
        var alpha = await client.PlanPullAsync(ModelReference.Parse("org/Mixed-GGUF/Alpha-7B-Q4_K_M.gguf"));

        Assert.Equal(["Q8_0/Big-VL-Q8_0-00001-of-00002.gguf", "Q8_0/Big-VL-Q8_0-00002-of-00002.gguf", "mmproj-F16.gguf"], q8.Files.Select(f => f.Path));
        Assert.Equal(["Alpha-7B-Q4_K_M.gguf"], alpha.Files.Select(f => f.Path));
    }
}
