using Microsoft.Playwright;
using ModelSwap.Testing;
using ModelSwap.Testing.HuggingFace;

namespace ModelSwap.Dashboard.Tests.EndToEnd;

/// <summary>The Model manager against the local Hugging Face mirror: search, files, Download to 100 %, then in Models.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ManagerPageTests(DashboardFixture fixture)
{
    [Fact]
    public async Task ADownloadReachesAHundredPercentAndTheModelIsServed()
    {
        await using var mirror = await HuggingFaceMirror.StartAsync();
        var gguf = SmallGguf.Write(Path.Combine(Directory.CreateTempSubdirectory("modelswap-gguf-").FullName, "Minnow-2B-Q8_0.gguf"),
            tensorElements: 256 * 1024);
        mirror.AddRepo("test-org/Minnow-2B-GGUF").AddFile("Minnow-2B-Q8_0.gguf", await File.ReadAllBytesAsync(gguf));
        mirror.AddRepo("test-org/Other-GGUF").AddFile("Other-Q4_K_M.gguf", await File.ReadAllBytesAsync(gguf));
        await using var server = await ServedModelSwap.StartAsync(await PublishedModelSwap.DllAsync(),
            new Dictionary<string, string> { ["HF_ENDPOINT"] = mirror.Endpoint.ToString() });

        var page = await fixture.Browser.OpenAsync(new Uri(server.BaseUrl, "/ui/manager"));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Model manager");
        await page.GetByLabel("Search Hugging Face").FillAsync("minnow");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Files of test-org/Minnow-2B-GGUF" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Q8_0", Exact = true })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Download" }).ClickAsync();

        var download = page.GetByTestId("download");
        await Assertions.Expect(download).ToHaveAttributeAsync("data-state", "completed", new() { Timeout = 60_000 });
        await Assertions.Expect(download.GetByTestId("download-figures")).ToContainTextAsync("100 %");
        await DashboardFixture.ScreenshotAsync(page, "page-manager");

        await page.GetByRole(AriaRole.Link, new() { Name = "Models", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("tbody tr", new() { HasText = "minnow" })).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await page.CloseAsync();
    }

    [Fact]
    public async Task AnUnreachableHubIsExplainedInPlace()
    {
        // The shared service's HF_ENDPOINT points at a closed port.
        var page = await fixture.Browser.OpenAsync(fixture.Url("/ui/manager"));
        await page.GetByLabel("Search Hugging Face").FillAsync("qwen");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("HF_ENDPOINT", new() { Timeout = 60_000 });
        await page.CloseAsync();
    }
}
