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

    [Fact]
    public async Task CpuAndMemoryChartsShowTheGatewayAndARunningModel()
    {
        var page = await fixture.Browser.OpenAsync(fixture.Url("/ui/service"));
        var charts = page.GetByTestId("resource-chart");
        await Assertions.Expect(charts.Filter(new() { HasText = "Gateway CPU" })).ToBeVisibleAsync();
        await Assertions.Expect(charts.Filter(new() { HasText = "Gateway memory" }).Locator("polyline")).ToHaveCountAsync(1);
        using (var load = await fixture.Server.Client.PostAsync("/api/models/demo:chat-tiny/load", null))
        {
            Assert.True(load.IsSuccessStatusCode, await load.Content.ReadAsStringAsync());
        }
        // The sampler's next tick (every few seconds) measures the model; the page draws it without a reload.
        await Assertions.Expect(page.Locator("[data-series='demo:chat-tiny memory'] polyline").First).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("[data-series='demo:chat-tiny memory']")).ToContainTextAsync("MiB");
        await DashboardFixture.ScreenshotAsync(page, "service-charts");
        await page.CloseAsync();
    }
}
