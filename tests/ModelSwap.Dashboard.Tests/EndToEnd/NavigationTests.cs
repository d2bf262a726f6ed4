using Microsoft.Playwright;

namespace ModelSwap.Dashboard.Tests.EndToEnd;

/// <summary>The layout: every page reachable from the navigation, offline, by keyboard, at 360 px, light and dark.</summary>
[Collection(DashboardCollection.Name)]
public sealed class NavigationTests(DashboardFixture fixture)
{
    public static TheoryData<string, string> Pages => new()
    {
        { "Models", "models" },
        { "Model manager", "manager" },
        { "Logs", "logs" },
        { "Playground", "playground" },
        { "Service", "service" },
        { "Activity", "activity" },
    };

    [Fact]
    public async Task EveryPageOpensFromTheNavigationWithoutLeavingTheMachine()
    {
        var page = await fixture.Browser.Context.NewPageAsync();
        var foreign = new List<string>();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith(fixture.Server.BaseUrl.ToString(), StringComparison.Ordinal)
                && !request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                foreign.Add(request.Url);
            }
        };
        await page.GotoAsync(fixture.Url("/").ToString());
        await DashboardBrowser.WaitInteractiveAsync(page);
        Assert.EndsWith("/ui", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Activity");
        foreach (var (title, slug) in Pages.Select(row => ((string)row[0], (string)row[1])))
        {
            await page.GetByRole(AriaRole.Link, new() { Name = title, Exact = true }).ClickAsync();
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync(title);
            await DashboardFixture.ScreenshotAsync(page, "nav-" + slug);
            Assert.Equal(0, await page.GetByRole(AriaRole.Alert).CountAsync());
        }
        await page.CloseAsync();
        Assert.Empty(foreign);
    }

    [Fact]
    public async Task TheKeyboardReachesEveryPage()
    {
        var page = await fixture.Browser.OpenAsync(fixture.Url("/ui"));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Activity");
        for (var presses = 0; presses < 30; presses++)
        {
            await page.Keyboard.PressAsync("Tab");
            var focused = await page.EvaluateAsync<string>("() => document.activeElement?.textContent?.trim() ?? ''");
            if (focused == "Service")
            {
                await page.Keyboard.PressAsync("Enter");
                await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Service");
                await page.CloseAsync();
                return;
            }
        }
        Assert.Fail("Tab never reached the Service link");
    }

    [Fact]
    public async Task A360PixelWindowNeedsNoSidewaysScrolling()
    {
        var page = await fixture.Browser.Context.NewPageAsync();
        await page.SetViewportSizeAsync(360, 740);
        await page.GotoAsync(fixture.Url("/ui/models").ToString());
        await DashboardBrowser.WaitInteractiveAsync(page);
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Models");
        var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= 360, $"the page is {scrollWidth} px wide in a 360 px window");
        // The navigation folds away (once MudBlazor has measured the window); its button brings it back.
        var service = page.GetByRole(AriaRole.Link, new() { Name = "Service", Exact = true });
        await Assertions.Expect(service).Not.ToBeInViewportAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Toggle navigation" }).ClickAsync();
        await Assertions.Expect(service).ToBeInViewportAsync();
        await service.ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Service");
        await DashboardFixture.ScreenshotAsync(page, "narrow-360px");
        await page.CloseAsync();
    }

    [Theory]
    [InlineData(ColorScheme.Light, false)]
    [InlineData(ColorScheme.Dark, true)]
    public async Task TheThemeFollowsTheSystem(ColorScheme scheme, bool dark)
    {
        await using var browser = await DashboardBrowser.LaunchAsync(scheme);
        var page = await browser.OpenAsync(fixture.Url("/ui"));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Activity");
        // MudBlazor sets its palette once it has asked the browser; wait for the background to settle.
        await page.WaitForFunctionAsync(dark
            ? "() => { const c = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number); return c[0] + c[1] + c[2] < 200; }"
            : "() => { const c = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number); return c[0] + c[1] + c[2] > 600; }");
        await DashboardFixture.ScreenshotAsync(page, dark ? "theme-dark" : "theme-light");
    }
}
