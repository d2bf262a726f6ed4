using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace ModelSwap.Dashboard.Tests.EndToEnd;

/// <summary>
/// The Activity page against a service of its own (it is restarted): Cancel ends a client's stream,
/// and the history is still there after a restart.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class ActivityPageTests(DashboardFixture fixture)
{
    private static JsonObject Chat(bool stream, int maxTokens) => new()
    {
        ["model"] = "demo:chat-tiny",
        ["stream"] = stream,
        ["max_tokens"] = maxTokens,
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Tell me a very long story" }),
    };

    [Fact]
    public async Task CancelEndsTheClientsStreamAndTheHistorySurvivesARestart()
    {
        var home = Directory.CreateTempSubdirectory("modelswap-home-").FullName;
        var models = Directory.CreateTempSubdirectory("modelswap-models-").FullName;
        var dll = await PublishedModelSwap.DllAsync();
        await using (var server = await ServedModelSwap.StartAsync(dll, home: home, modelsDir: models))
        {
            using (var finished = await server.Client.PostAsJsonAsync("/v1/chat/completions", Chat(stream: false, maxTokens: 4)))
            {
                finished.EnsureSuccessStatusCode();
            }

            // A long stream, read line by line as a client would.
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(Chat(stream: true, maxTokens: 1_000_000)) };
            using var response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            Assert.StartsWith("data:", await reader.ReadLineAsync(), StringComparison.Ordinal);

            var page = await fixture.Browser.OpenAsync(new Uri(server.BaseUrl, "/ui"));
            await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Activity");
            var row = page.Locator("[data-testid=inflight] tbody tr");
            await Assertions.Expect(row).ToContainTextAsync("demo:chat-tiny", new() { Timeout = 60_000 });
            // Its tokens so far move as the stream passes (the Tokens column, from the request events).
            await Assertions.Expect(row.Locator("td").Nth(5)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[1-9][0-9]*$"), new() { Timeout = 60_000 });
            await row.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Cancel") }).ClickAsync();

            // The client's stream ends, well before a million tokens: the gateway closes it where it was
            // (a reset connection, as when llama-swap's or any proxy's upstream goes away), never with [DONE].
            var rest = await ReadUntilEndAsync(reader).WaitAsync(TimeSpan.FromSeconds(60));
            Assert.DoesNotContain("[DONE]", rest, StringComparison.Ordinal);
            await Assertions.Expect(page.GetByTestId("inflight-empty")).ToBeVisibleAsync(new() { Timeout = 60_000 });
            var history = page.Locator("[data-testid=history] tbody tr");
            await Assertions.Expect(history).ToHaveCountAsync(2, new() { Timeout = 60_000 });
            await Assertions.Expect(history.First).ToContainTextAsync("cancelled");
            await Assertions.Expect(page.GetByTestId("activity-charts")).ToContainTextAsync("demo:chat-tiny");
            await history.Nth(1).ClickAsync();
            await Assertions.Expect(page.GetByTestId("response-excerpt")).Not.ToBeEmptyAsync();
            await page.EvaluateAsync("() => window.scrollTo(0, 0)"); // the picked row scrolled the page: the shot starts at its top
            await DashboardFixture.ScreenshotAsync(page, "page-activity");
            await page.CloseAsync();
        }

        // The service is killed and started again on the same home: the history is read from activity.db.
        await using (var again = await ServedModelSwap.StartAsync(dll, home: home, modelsDir: models))
        {
            var page = await fixture.Browser.OpenAsync(new Uri(again.BaseUrl, "/ui"));
            var history = page.Locator("[data-testid=history] tbody tr");
            await Assertions.Expect(history).ToHaveCountAsync(2, new() { Timeout = 60_000 });
            await Assertions.Expect(history.Nth(1)).ToContainTextAsync("demo:chat-tiny");
            await page.CloseAsync();
        }
    }

    /// <summary>Everything left in the stream until it ends, cleanly or by a closed connection.</summary>
    private static async Task<string> ReadUntilEndAsync(StreamReader reader)
    {
        var rest = new System.Text.StringBuilder();
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                rest.AppendLine(line);
            }
        }
        catch (IOException)
        {
            // the connection was closed mid-stream: the stream ended
        }
        return rest.ToString();
    }
}
