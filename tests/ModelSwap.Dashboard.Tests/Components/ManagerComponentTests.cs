using Microsoft.AspNetCore.Components;
using System.Net;
using System.Net.Sockets;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using ModelSwap.Dashboard.Components.Manager;
using ModelSwap.Dashboard.Components.Pages;
using ModelSwap.Dashboard.Live;
using ModelSwap.Gateway.Management;
using ModelSwap.Hub.Downloads;
using ModelSwap.Hub.HuggingFace;
using ModelSwap.Testing;
using ModelSwap.Testing.HuggingFace;

namespace ModelSwap.Dashboard.Tests.Components;

/// <summary>
/// The Model manager's components over the management layer's real <see cref="IModelHub"/> (Hub client and
/// download queue) against the local Hugging Face mirror: results, files, a started download, and the
/// management layer's words for failures shown in place.
/// </summary>
public sealed class ManagerComponentTests : DashboardComponentTest
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    /// <summary>The real management layer over a Hub client and a download queue, owned (and disposed) by the test's container.</summary>
    private void UseHub(Uri endpoint)
    {
        var options = new HubOptions(endpoint) { MaxRetryAttempts = 0 };
        // Under MODELSWAP_HOME, which the test process removes when it ends.
        var models = Directory.CreateDirectory(Path.Combine(Environment.GetEnvironmentVariable("MODELSWAP_HOME")!, "manager-" + Guid.NewGuid().ToString("N"))).FullName;
        Services.AddSingleton(_ => new HuggingFaceClient(options));
        Services.AddSingleton(_ => new DownloadManager(new DownloadManagerOptions(models), options));
        Services.AddSingleton<IModelHub>(sp => new ModelHub(sp.GetRequiredService<HuggingFaceClient>(), sp.GetRequiredService<DownloadManager>()));
    }

    [Fact]
    public async Task SearchShowsEachHitWithItsFiguresAndAccess()
    {
        await using var mirror = await HuggingFaceMirror.StartAsync();
        mirror.AddRepo("org/Minnow-GGUF").Downloads = 4321;
        mirror.AddRepo("org/Minnow-Gated-GGUF").Gated = "manual";
        UseHub(mirror.Endpoint);

        var view = Render<HubSearch>();
        view.FindAll("input")[0].Input("minnow");
        await view.Find("form").SubmitAsync();
        view.WaitForAssertion(() => Assert.Equal(2, view.FindAll("tbody tr").Count), HangGuard);
        var rows = view.FindAll("tbody tr").Select(r => r.TextContent).ToList();
        Assert.Contains(rows, r => r.Contains("org/Minnow-GGUF", StringComparison.Ordinal) && r.Contains("open", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("org/Minnow-Gated-GGUF", StringComparison.Ordinal) && r.Contains("gated (manual)", StringComparison.Ordinal));
        Assert.Empty(view.FindAll("[role=alert]"));
    }

    [Fact]
    public async Task SearchWithoutHitsSaysSo()
    {
        await using var mirror = await HuggingFaceMirror.StartAsync();
        UseHub(mirror.Endpoint);
        var view = Render<HubSearch>();
        view.FindAll("input")[0].Input("nothing-like-this");
        await view.Find("form").SubmitAsync();
        view.WaitForAssertion(() => Assert.Contains("No GGUF model matches", view.Markup, StringComparison.Ordinal), HangGuard);
    }

    [Fact]
    public async Task AnUnreachableHubIsExplainedWithHF_ENDPOINT()
    {
        UseHub(new Uri($"http://127.0.0.1:{FreePort.Get()}/"));
        var view = Render<HubSearch>();
        view.FindAll("input")[0].Input("qwen");
        await view.Find("form").SubmitAsync();
        view.WaitForAssertion(() => Assert.Contains("HF_ENDPOINT", view.Find("[role=alert]").TextContent, StringComparison.Ordinal), HangGuard);
    }

    [Fact]
    public async Task FilesAreListedByQuantizationAndDownloadStartsAJob()
    {
        await using var mirror = await HuggingFaceMirror.StartAsync();
        var repo = mirror.AddRepo("org/Minnow-GGUF");
        repo.AddFile("Minnow-Q4_K_M.gguf", MirrorFile.ValidGguf(20_000, 1));
        repo.AddFile("Minnow-Q8_0.gguf", MirrorFile.ValidGguf(20_000, 2));
        UseHub(mirror.Endpoint);
        var started = 0;

        var view = Render<RepoFiles>(p => p.Add(v => v.Repo, "org/Minnow-GGUF").Add(v => v.OnStarted, () => started++));
        view.WaitForAssertion(() => Assert.Equal(2, view.FindAll("tbody tr").Count), HangGuard);
        Assert.Equal(["Q4_K_M", "Q8_0"], view.FindAll("tbody tr").Select(r => r.QuerySelector("td")!.TextContent.Trim()).Order().ToList());

        await view.FindAll("button").First(b => b.GetAttribute("aria-label") == "Download Minnow-Q8_0").ClickAsync(new());
        view.WaitForAssertion(() => Assert.Equal(1, started), HangGuard);
        var job = Assert.Single(Services.GetRequiredService<IModelHub>().ListDownloads());
        Assert.Equal("org/Minnow-GGUF", job.Repo);
        Assert.EndsWith("Minnow-Q8_0.gguf", Assert.Single(job.Files), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGatedRepoSaysHowToSetHF_TOKEN()
    {
        await using var mirror = await HuggingFaceMirror.StartAsync();
        var repo = mirror.AddRepo("org/Gated-GGUF");
        repo.Gated = "manual";
        repo.RequiredToken = "hf_secret";
        UseHub(mirror.Endpoint);

        var view = Render<RepoFiles>(p => p.Add(v => v.Repo, "org/Gated-GGUF"));
        view.WaitForAssertion(() => Assert.Contains("HF_TOKEN", view.Find("[role=alert]").TextContent, StringComparison.Ordinal), HangGuard);
    }

    [Fact]
    public void WhileTheHubHasNotAnsweredTheFilesSayWhatTheyWaitFor()
    {
        // A listener that accepts connections and never answers: the listing stays pending for the whole test.
        var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        try
        {
            UseHub(new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/"));
            var view = Render<RepoFiles>(p => p.Add(v => v.Repo, "org/Other-GGUF"));
            Assert.Equal("Listing the files of org/Other-GGUF…", view.Find("[role=status]").TextContent.Trim());
            Assert.Empty(view.FindAll("table"));
        }
        finally
        {
            silent.Stop();
        }
    }

    [Fact]
    public void DownloadsShowProgressAndTheActionTheirStateAllows()
    {
        DownloadView Job(string id, string state, long bytes, string? error = null) =>
            new(id, $"org/{id}", "main", [$"/m/{id}.gguf"], state, bytes, 1000, 100, 5, null, error);
        var view = Render<DownloadList>(p => p.Add(v => v.Jobs, [Job("a", "running", 500), Job("b", "cancelled", 300), Job("c", "failed", 0, "The Hub answered HTTP 500")]));

        var jobs = view.FindAll("[data-testid=download]");
        Assert.Equal(["running", "cancelled", "failed"], jobs.Select(j => j.GetAttribute("data-state")).ToList());
        Assert.Equal("Cancel", jobs[0].QuerySelector("button")!.TextContent.Trim());
        Assert.Contains("50\u00a0%", jobs[0].QuerySelector("[data-testid=download-figures]")!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Resume", jobs[1].QuerySelector("button")!.TextContent.Trim());
        Assert.Equal("The Hub answered HTTP 500", jobs[2].QuerySelector("[role=alert]")!.TextContent.Trim());
        Assert.Contains("No downloads yet", Render<DownloadList>(p => p.Add(v => v.Jobs, Array.Empty<DownloadView>())).Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThePageCancelsKeepingThePartAndResumesToCompletedLive()
    {
        await using var mirror = await HuggingFaceMirror.StartAsync();
        mirror.AddRepo("org/Minnow-GGUF").AddFile("Minnow-Q8_0.gguf", MirrorFile.ValidGguf(2_000_000, 4));
        var hold = mirror.HoldAt("org/Minnow-GGUF", "Minnow-Q8_0.gguf", 1_000_000, untilReleased: true);
        UseHub(mirror.Endpoint);
        Services.AddScoped<LiveDownloads>();
        var hub = Services.GetRequiredService<IModelHub>();
        var job = await hub.StartDownloadAsync("org/Minnow-GGUF:Q8_0", null, CancellationToken.None);
        await hold.Reached.WaitAsync(HangGuard);
        var part = job.Files[0] + ".part";
        await WaitUntilAsync(() => File.Exists(part + ".json") && File.Exists(part) && new FileInfo(part).Length > 0);

        // As on a live page: prerendering only draws the list, the live page follows the downloads.
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var page = Render<ManagerPage>();
        page.WaitForAssertion(() => Assert.Equal("running", page.Find("[data-testid=download]").GetAttribute("data-state")), HangGuard);
        await page.Find("[data-testid=download] button").ClickAsync(new());
        // The page hears the end through the management layer's event, with no refresh.
        page.WaitForAssertion(() => Assert.Equal("cancelled", page.Find("[data-testid=download]").GetAttribute("data-state")), HangGuard);
        Assert.True(File.Exists(part), "Cancel keeps the partial file");

        hold.Release();
        await page.Find("[data-testid=download] button").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal("completed", page.Find("[data-testid=download]").GetAttribute("data-state")), HangGuard);
        Assert.Contains("100\u00a0%", page.Find("[data-testid=download-figures]").TextContent, StringComparison.Ordinal);
        Assert.Single(page.FindAll("[data-testid=download]"));
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + HangGuard;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "hang guard: the partial file was not written");
            await Task.Delay(20);
        }
    }

    [Fact]
    public void TheDashboardReferencesNoHubAssembly() =>
        // The dashboard talks to the management layer only: not one ModelSwap.Hub type is compiled into it.
        Assert.DoesNotContain(typeof(ManagerPage).Assembly.GetReferencedAssemblies(), a => a.Name == "ModelSwap.Hub");
}
