using Microsoft.Playwright;

namespace ModelSwap.Dashboard.Tests.EndToEnd;

/// <summary>The Models page against the real service: live state, Load, Unload.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ModelsPageTests(DashboardFixture fixture)
{
    [Fact]
    public async Task ADemoModelLoadsBecomesReadyAndUnloads()
    {
        await UnloadEverythingAsync();
        var page = await fixture.Browser.OpenAsync(fixture.Url("/ui/models"));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Models");
        var row = page.Locator("tbody tr", new() { HasText = "demo-embed-tiny" });
        await Assertions.Expect(row.Locator(".ms-state-chip")).ToHaveAttributeAsync("data-state", "stopped");

        await row.GetByRole(AriaRole.Button, new() { Name = "Load" }).ClickAsync();
        // The chip moves by itself (the event stream): starting, then ready.
        await Assertions.Expect(row.Locator(".ms-state-chip")).ToHaveAttributeAsync("data-state", "ready", new() { Timeout = 120_000 });
        await row.Locator("td").First.ClickAsync();
        await Assertions.Expect(page.Locator(".ms-details")).ToContainTextAsync("pid");
        await DashboardFixture.ScreenshotAsync(page, "page-models");

        await row.GetByRole(AriaRole.Button, new() { Name = "Unload" }).ClickAsync();
        await Assertions.Expect(row.Locator(".ms-state-chip")).ToHaveAttributeAsync("data-state", "stopped", new() { Timeout = 60_000 });
        await page.CloseAsync();
    }

    [Fact]
    public async Task AStateChangeFromOutsideShowsWithoutAReload()
    {
        await UnloadEverythingAsync();
        var page = await fixture.Browser.OpenAsync(fixture.Url("/ui/models"));
        var row = page.Locator("tbody tr", new() { HasText = "demo:chat-tiny" });
        await Assertions.Expect(row.Locator(".ms-state-chip")).ToHaveAttributeAsync("data-state", "stopped");
        using (var load = await fixture.Server.Client.PostAsync("/api/models/demo:chat-tiny/load", null))
        {
            Assert.True(load.IsSuccessStatusCode, await load.Content.ReadAsStringAsync());
        }
        await Assertions.Expect(row.Locator(".ms-state-chip")).ToHaveAttributeAsync("data-state", "ready", new() { Timeout = 60_000 });
        using (var unload = await fixture.Server.Client.PostAsync("/api/models/demo:chat-tiny/unload", null))
        {
            Assert.True(unload.IsSuccessStatusCode, await unload.Content.ReadAsStringAsync());
        }
        await Assertions.Expect(row.Locator(".ms-state-chip")).ToHaveAttributeAsync("data-state", "stopped", new() { Timeout = 60_000 });
        await page.CloseAsync();
    }

    /// <summary>Other tests share the service and may have left a model loaded.</summary>
    private async Task UnloadEverythingAsync()
    {
        using var response = await fixture.Server.Client.PostAsync("/unload", null);
        response.EnsureSuccessStatusCode();
    }
}
