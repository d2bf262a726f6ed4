using Microsoft.Playwright;

namespace ModelSwap.Dashboard.Tests.EndToEnd;

[Collection(DashboardCollection.Name)]
public sealed class LogsPageTests(DashboardFixture fixture)
{
    [Fact]
    public async Task AModelsOwnLinesShow()
    {
        using (var load = await fixture.Server.Client.PostAsync("/api/models/demo:chat-tiny/load", null))
        {
            Assert.True(load.IsSuccessStatusCode, await load.Content.ReadAsStringAsync());
        }
        var page = await fixture.Browser.OpenAsync(fixture.Url("/ui/logs?model=demo:chat-tiny"));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Logs");
        var lines = page.GetByTestId("log-lines");
        await Assertions.Expect(lines).ToContainTextAsync("[demo:chat-tiny] ", new() { Timeout = 30_000 });
        // Only that model's lines: every line carries its prefix.
        var text = await lines.InnerTextAsync();
        Assert.All(text.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.StartsWith("[demo:chat-tiny] ", line, StringComparison.Ordinal));
        await DashboardFixture.ScreenshotAsync(page, "page-logs");
        await page.GetByRole(AriaRole.Button, new() { Name = "Clear" }).ClickAsync();
        await Assertions.Expect(lines).ToContainTextAsync("has written nothing yet");
        await page.CloseAsync();
    }
}
