using Microsoft.Playwright;

namespace ModelSwap.Dashboard.Tests.EndToEnd;

/// <summary>
/// A service with an API key: the dashboard asks for it once (a wrong key gets a clear error), then the
/// Models page and a Playground answer work on the session cookie alone.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class ApiKeyPromptTests
{
    private const string Key = "sk-dashboard-test-key";

    [Fact]
    public async Task TheDashboardAsksForTheKeyOnceThenModelsAndPlaygroundWork()
    {
        await using var server = await ServedModelSwap.StartAsync(await PublishedModelSwap.DllAsync(),
            new Dictionary<string, string> { ["MODELSWAP_API_KEYS"] = Key });
        // Prerendering leaks nothing: without the key, the HTML of /ui is the key prompt (after a redirect), no page data.
        var unauthenticated = await PrerenderTests.GetHtmlAsync(server.Client, "/ui/models");
        Assert.Contains("API key", unauthenticated, StringComparison.Ordinal);
        Assert.DoesNotContain("demo:chat-tiny", unauthenticated, StringComparison.Ordinal);
        Assert.DoesNotContain(">Models</h1>", unauthenticated, StringComparison.Ordinal);

        await using var browser = await DashboardBrowser.LaunchAsync();
        var page = await browser.OpenAsync(new Uri(server.BaseUrl, "/ui"));

        // Asked: the key prompt, not the dashboard.
        await Assertions.Expect(page.GetByLabel("API key")).ToBeVisibleAsync();
        await page.GetByLabel("API key").FillAsync("not-the-key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("the API key is not valid");
        await DashboardFixture.ScreenshotAsync(page, "key-prompt");

        await page.GetByLabel("API key").FillAsync(Key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Activity");
        await DashboardBrowser.WaitInteractiveAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "Models", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("tbody tr", new() { HasText = "demo:chat-tiny" })).ToBeVisibleAsync();

        // The Playground calls /v1 on the person's behalf, with their key.
        await page.GetByRole(AriaRole.Link, new() { Name = "Playground", Exact = true }).ClickAsync();
        await page.GetByLabel("Max tokens").FillAsync("8");
        await page.GetByLabel("Max tokens").PressAsync("Tab");
        await page.GetByLabel("Message").FillAsync("Say hello");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("answer-figures")).ToContainTextAsync("tokens/s", new() { Timeout = 120_000 });
        Assert.Equal(0, await page.GetByRole(AriaRole.Alert).CountAsync());

        // Asked once: a new page in the same browser goes straight in.
        var again = await browser.OpenAsync(new Uri(server.BaseUrl, "/ui/service"));
        await Assertions.Expect(again.Locator("h1")).ToHaveTextAsync("Service");
    }
}
