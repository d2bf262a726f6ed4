using Microsoft.Playwright;

namespace ModelSwap.Dashboard.Tests.EndToEnd;

[Collection(DashboardCollection.Name)]
public sealed class ServicePageTests(DashboardFixture fixture)
{
    [Fact]
    public async Task TheServiceShowsItsAddressAndRegeneratesItsConfig()
    {
        var page = await fixture.Browser.OpenAsync(fixture.Url("/ui/service"));
        await Assertions.Expect(page.GetByTestId("api-base-url")).ToHaveTextAsync(fixture.Server.BaseUrl.ToString().TrimEnd('/') + "/v1");
        await Assertions.Expect(page.GetByTestId("service-facts")).ToContainTextAsync("generated from the models folders");
        await Assertions.Expect(page.GetByTestId("service-facts")).ToContainTextAsync(fixture.Server.ModelsDir);
        await page.GetByRole(AriaRole.Button, new() { Name = "Regenerate config" }).ClickAsync();
        await Assertions.Expect(page.Locator(".ms-outcome")).ToContainTextAsync("Rescanned: 2 models", new() { Timeout = 60_000 });
        await DashboardFixture.ScreenshotAsync(page, "page-service");
        await page.CloseAsync();
    }
}
