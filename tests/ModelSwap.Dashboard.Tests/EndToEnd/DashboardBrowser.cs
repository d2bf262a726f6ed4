using Microsoft.Playwright;

namespace ModelSwap.Dashboard.Tests.EndToEnd;

/// <summary>
/// Debian's Chromium (/usr/bin/chromium, installed by setup.sh) driven by Playwright; Playwright's own
/// browser downloads are never used. Each test gets a fresh context; the browser has a fresh profile.
/// </summary>
internal sealed class DashboardBrowser : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly IPlaywright _playwright;
    private readonly string _profile;

    private DashboardBrowser(IPlaywright playwright, IBrowserContext persistent, string profile)
    {
        _playwright = playwright;
        Context = persistent;
        _profile = profile;
    }

    /// <summary>The browser's one persistent context (a fresh user-data-dir); pages are opened in it.</summary>
    public IBrowserContext Context { get; }

    public static async Task<DashboardBrowser> LaunchAsync(ColorScheme colorScheme = ColorScheme.Light, int width = 1280, int height = 800)
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new FileNotFoundException($"{ChromiumPath} is missing: run tests/ModelSwap.Dashboard.Tests/setup.sh (apt-get install chromium)");
        }
        // A shared, busy machine: a fresh service JIT-compiles its first page slowly.
        Assertions.SetDefaultExpectTimeout(30_000);
        var playwright = await Playwright.CreateAsync();
        var profile = Directory.CreateTempSubdirectory("modelswap-chromium-").FullName;
        var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
            ColorScheme = colorScheme,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Timeout = 60_000,
        });
        context.SetDefaultTimeout(30_000);
        return new DashboardBrowser(playwright, context, profile);
    }

    /// <summary>Opens <paramref name="url"/>; a dashboard page is given until its circuit is up (it is prerendered first).</summary>
    public async Task<IPage> OpenAsync(Uri url)
    {
        var page = await Context.NewPageAsync();
        await page.GotoAsync(url.ToString());
        await WaitInteractiveAsync(page);
        return page;
    }

    /// <summary>
    /// Waits until the prerendered page has become interactive (MainLayout marks main with data-interactive),
    /// so a click or a typed value is not lost to the first interactive render. Any other page (the key
    /// prompt) returns at once.
    /// </summary>
    public static async Task WaitInteractiveAsync(IPage page) =>
        await page.WaitForFunctionAsync("() => !document.querySelector('main.ms-page') || document.querySelector('main.ms-page[data-interactive]')");

    public async ValueTask DisposeAsync()
    {
        await Context.CloseAsync();
        _playwright.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
