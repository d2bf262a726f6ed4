using ModelSwap.Hub.Downloads;

namespace ModelSwap.Hub.Tests.Downloads;

public sealed class NameSafetyTests : HubTestBase
{
    [Theory]
    [InlineData("org/repo", "../escape.gguf")]
    [InlineData("org/repo", "sub/../../escape.gguf")]
    [InlineData("org/repo", "/etc/passwd")]
    [InlineData("org/repo", "sub\\evil.gguf")]
    [InlineData("org/repo", "")]
    [InlineData("org/repo", "./x.gguf")]
    [InlineData("../repo", "x.gguf")]
    [InlineData("org/..", "x.gguf")]
    [InlineData("org/repo/extra", "x.gguf")]
    [InlineData("org", "x.gguf")]
    public async Task Traversal_and_malformed_names_are_refused_before_anything_is_fetched(string repo, string file)
    {
        var manager = Manager();

        var error = Assert.ThrowsAny<ArgumentException>(() => manager.Enqueue(new DownloadRequest(repo, "main", [new DownloadFile(file, 10)])));

        Assert.False(string.IsNullOrWhiteSpace(error.Message));
        Assert.Empty(manager.List());
        Assert.Empty(Directory.EnumerateFileSystemEntries(ModelsDir));
        await Task.CompletedTask;
        Assert.DoesNotContain(Mirror.Requests, r => r.Path.Contains("/resolve/"));
    }

    [Fact]
    public void A_symlinked_repo_folder_is_not_written_through()
    {
        var outside = Path.Combine(Root, "outside");
        Directory.CreateDirectory(outside);
        Directory.CreateSymbolicLink(Path.Combine(ModelsDir, "org_repo"), outside);
        var manager = Manager();

        var error = Assert.Throws<ArgumentException>(() => manager.Enqueue(new DownloadRequest("org/repo", "main", [new DownloadFile("m.gguf", 10)])));

        Assert.Contains("symlink", error.Message);
    }
}
