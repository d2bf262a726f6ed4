using Microsoft.Playwright;

namespace ModelSwap.Dashboard.Tests.EndToEnd;

/// <summary>The Playground against the demo models run by the built-in engine.</summary>
[Collection(DashboardCollection.Name)]
public sealed class PlaygroundTests(DashboardFixture fixture)
{
    [Fact]
    public async Task AChatMessageStreamsAnAnswerWithItsSpeed()
    {
        var page = await fixture.Browser.OpenAsync(fixture.Url("/ui/playground"));
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Playground");
        // A short answer: this machine is shared, and the demo model answers nonsense anyway.
        await page.GetByLabel("Max tokens").FillAsync("12");
        await page.GetByLabel("Max tokens").PressAsync("Tab");
        await page.GetByLabel("Message").FillAsync("Say hello");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        // The demo model starts on the first request; the answer streams in, then its figures show.
        var figures = page.GetByTestId("answer-figures");
        await Assertions.Expect(figures).ToContainTextAsync("tokens/s", new() { Timeout = 120_000 });
        await Assertions.Expect(figures).ToContainTextAsync("time to first token");
        var answer = await page.Locator(".ms-answer").First.InnerTextAsync();
        Assert.False(string.IsNullOrWhiteSpace(answer));
        await DashboardFixture.ScreenshotAsync(page, "page-playground");
        await page.CloseAsync();
    }

    [Fact]
    public async Task TwoTextsAreComparedByCosineSimilarity()
    {
        var page = await fixture.Browser.OpenAsync(fixture.Url("/ui/playground"));
        await page.GetByRole(AriaRole.Tab, new() { Name = "Embeddings" }).ClickAsync();
        await page.GetByLabel("First text").FillAsync("a cat sits on the mat");
        await page.GetByLabel("Second text").FillAsync("a cat sits on the mat");
        await page.GetByRole(AriaRole.Button, new() { Name = "Compare" }).ClickAsync();
        var result = page.GetByTestId("embedding-result");
        await Assertions.Expect(result).ToContainTextAsync("Dimensions", new() { Timeout = 120_000 });
        // The same text twice: the same vector, so a similarity of 1.
        await Assertions.Expect(result).ToContainTextAsync("1.0000");
        await page.CloseAsync();
    }
}
