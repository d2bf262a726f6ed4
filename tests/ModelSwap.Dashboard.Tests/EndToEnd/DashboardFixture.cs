using Microsoft.Playwright;

namespace ModelSwap.Dashboard.Tests.EndToEnd;

/// <summary>One published `modelswap serve --demo` and one browser, shared by the end-to-end tests.</summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    private ServedModelSwap? _server;
    private DashboardBrowser? _browser;

    internal ServedModelSwap Server => _server ?? throw new InvalidOperationException("not started");
    internal DashboardBrowser Browser => _browser ?? throw new InvalidOperationException("not started");

    public Uri Url(string path) => new(Server.BaseUrl, path);

    public async Task InitializeAsync()
    {
        _server = await ServedModelSwap.StartAsync(await PublishedModelSwap.DllAsync());
        _browser = await DashboardBrowser.LaunchAsync(ColorScheme.Light);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>Saves a full-page screenshot as a test artifact (.test-output/dashboard/NAME.png).</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var path = System.IO.Path.Combine(RepositoryRoot.ArtifactsDirectory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }
}
