using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace ModelSwap.Dashboard.Tests.EndToEnd;

/// <summary>The Models page against the real service: a settings edit saved to models.yaml and hot-reloaded; load and memory figures.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ModelSettingsTests(DashboardFixture fixture)
{
    private const string Model = "demo:chat-tiny";

    [Fact]
    public async Task AContextSizeSavedInThePageLandsInModelsYamlAndInTheCommand()
    {
        var settingsUrl = $"/api/config/models/{Model}/settings";
        var file = (await fixture.Server.Client.GetFromJsonAsync<JsonObject>(settingsUrl))!["file"]!.GetValue<string>();
        try
        {
            var page = await fixture.Browser.OpenAsync(fixture.Url("/ui/models"));
            var row = page.Locator("tbody tr", new() { HasText = Model });
            await row.Locator("td").First.ClickAsync();
            var details = page.Locator(".ms-details");
            await Assertions.Expect(details).ToContainTextAsync("GGUF metadata");
            await Assertions.Expect(details.Locator("[data-testid=model-header]")).ToContainTextAsync("general.architecture");

            await details.GetByLabel("Context size").FillAsync("512");
            await details.GetByLabel("Aliases").FillAsync("my-tiny-chat");
            await details.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
            await Assertions.Expect(details.Locator(".ms-settings-saved")).ToContainTextAsync("Saved to models.yaml", new() { Timeout = 60_000 });

            var yaml = await File.ReadAllTextAsync(file);
            Assert.Contains("ctx-size: 512", yaml, StringComparison.Ordinal);
            Assert.Contains("my-tiny-chat", yaml, StringComparison.Ordinal);
            // Hot-reloaded: the command shown in the details carries the new context; the alias is served.
            await Assertions.Expect(details).ToContainTextAsync("--ctx-size 512", new() { Timeout = 60_000 });
            await Assertions.Expect(row).ToContainTextAsync("my-tiny-chat");
            var byAlias = await fixture.Server.Client.GetFromJsonAsync<JsonObject>("/api/models/my-tiny-chat");
            Assert.Equal(Model, byAlias!["id"]!.GetValue<string>());

            // A refused value is shown beside its field, and nothing is written.
            await details.GetByLabel("Context size").FillAsync("10");
            await details.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
            await Assertions.Expect(details).ToContainTextAsync("must be at least 256 tokens");
            Assert.Equal(yaml, await File.ReadAllTextAsync(file));
            await DashboardFixture.ScreenshotAsync(page, "models-settings");
            await page.CloseAsync();
        }
        finally
        {
            // Other tests share the service: back to the defaults.
            using var reset = await fixture.Server.Client.PutAsJsonAsync(settingsUrl, new { });
            reset.EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task LoadingShowsItsStateAndThenTheMeasuredAndEstimatedMemory()
    {
        using (var unload = await fixture.Server.Client.PostAsync("/unload", null))
        {
            unload.EnsureSuccessStatusCode();
        }
        var page = await fixture.Browser.OpenAsync(fixture.Url("/ui/models"));
        var row = page.Locator("tbody tr", new() { HasText = "demo-embed-tiny" });
        await Assertions.Expect(row.Locator(".ms-state-chip")).ToHaveAttributeAsync("data-state", "stopped");
        await Assertions.Expect(page.GetByTestId("models-summary")).ToContainTextAsync("budget");
        // Every text the chip shows while it loads, recorded in the page as it changes (rows are re-rendered: look the row up each time).
        await page.EvaluateAsync("""
            () => {
              window.chipTexts = [];
              new MutationObserver(() => {
                const row = [...document.querySelectorAll('tbody tr')].find(r => r.textContent.includes('demo-embed-tiny'));
                const chip = row?.querySelector('.ms-state-chip');
                const text = chip ? chip.textContent.trim() + '|' + (chip.getAttribute('data-progress') ?? '') : null;
                if (text && window.chipTexts[window.chipTexts.length - 1] !== text) { window.chipTexts.push(text); }
              }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
            }
            """);
        await row.GetByRole(AriaRole.Button, new() { Name = "Load" }).ClickAsync();
        await Assertions.Expect(row.Locator(".ms-state-chip")).ToHaveAttributeAsync("data-state", "ready", new() { Timeout = 120_000 });
        var texts = await page.EvaluateAsync<string[]>("() => window.chipTexts");
        Assert.Contains("ready|", texts);
        // The demo model may load between two updates; whatever showed while it started was "starting" or "starting N %" with its bar.
        foreach (var text in texts.Where(t => t.StartsWith("starting", StringComparison.Ordinal)))
        {
            var (label, percent) = (text.Split('|')[0], text.Split('|')[1]);
            Assert.True(percent.Length == 0 ? label == "starting" : label == $"starting {percent} %", text);
            Assert.True(percent.Length == 0 || int.Parse(percent, System.Globalization.CultureInfo.InvariantCulture) is >= 0 and <= 100, text);
        }
        // Measured (the sampler reads the process tree twice a second) beside the estimate made before the start.
        await Assertions.Expect(row.GetByTestId("memory")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"\d+(\.\d)? [KMG]iB / est\. \d"),
            new() { Timeout = 60_000 });
        await row.Locator("td").First.ClickAsync();
        await Assertions.Expect(page.GetByTestId("memory-facts")).ToContainTextAsync("resident");
        await Assertions.Expect(page.GetByTestId("memory-facts")).ToContainTextAsync("against the budget");
        await DashboardFixture.ScreenshotAsync(page, "models-memory");
        await page.CloseAsync();
    }
}
