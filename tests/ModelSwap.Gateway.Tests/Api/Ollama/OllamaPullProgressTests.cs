using System.Text.Json.Nodes;
using ModelSwap.Gateway.Api.Ollama;
using ModelSwap.Gateway.Management;

namespace ModelSwap.Gateway.Tests.Api.Ollama;

/// <summary>Ollama's per-layer pull lines from download views: one layer per file, each ending at its size.</summary>
public sealed class OllamaPullProgressTests
{
    private static readonly string ShaA = new('a', 64);
    private static readonly string ShaB = new('b', 64);

    private static DownloadView View(string state, long bytes, string? current) =>
        new("d1", "org/repo", "main", ["/m/a.gguf", "/m/b.gguf"], state, bytes, 30, 0, null, current, null)
        {
            Parts = [new("a-00001-of-00002.gguf", 10, ShaA), new("a-00002-of-00002.gguf", 20, ShaB)],
        };

    private static string Show(IEnumerable<JsonObject> lines) =>
        string.Join(" | ", lines.Select(l => $"{l["status"]} {l["digest"]} {l["completed"]}/{l["total"]}"));

    [Fact]
    public void Each_file_is_a_layer_that_ends_at_its_size()
    {
        var view = View("running", 0, "a-00001-of-00002.gguf");
        var progress = new OllamaPullProgress(view.Parts);
        Assert.Equal($"pulling aaaaaaaaaaaa sha256:{ShaA} 0/10", Show(progress.LinesFor(view)));
        Assert.Equal("", Show(progress.LinesFor(view))); // nothing moved, nothing said
        Assert.Equal($"pulling aaaaaaaaaaaa sha256:{ShaA} 6/10", Show(progress.LinesFor(View("running", 6, "a-00001-of-00002.gguf"))));
        Assert.Equal($"pulling aaaaaaaaaaaa sha256:{ShaA} 10/10 | pulling bbbbbbbbbbbb sha256:{ShaB} 5/20",
            Show(progress.LinesFor(View("running", 15, "a-00002-of-00002.gguf"))));
        Assert.Equal($"pulling bbbbbbbbbbbb sha256:{ShaB} 20/20", Show(progress.LinesFor(View("completed", 30, null))));
    }

    [Fact]
    public void Without_every_size_the_download_is_one_line()
    {
        var view = View("running", 7, "a-00001-of-00002.gguf") with { Parts = [new("a.gguf", null, null)], Total = null };
        var progress = new OllamaPullProgress(view.Parts);
        Assert.Equal("pulling a.gguf  7/7", Show(progress.LinesFor(view)));
        Assert.Equal("pulling a.gguf  30/30", Show(progress.LinesFor(view with { State = "completed", Bytes = 30, Total = 30 })));
    }
}
