using System.Net;
using System.Net.Http.Headers;

namespace ModelSwap.Dashboard.Tests.EndToEnd;

/// <summary>
/// The pages are prerendered: the first HTML, fetched without running any script, already shows each page's
/// content (read from the management layer on the server), so a plain `chromium --screenshot` is not blank.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class PrerenderTests(DashboardFixture fixture)
{
    [Theory]
    [InlineData("/ui", "Activity", "In flight")]
    [InlineData("/ui/models", "Models", "demo:chat-tiny")]
    [InlineData("/ui/service", "Service", "generated from the models folders")]
    [InlineData("/ui/logs", "Logs", "Everything")]
    public async Task The_first_html_already_shows_the_page(string path, string heading, string content)
    {
        var html = await GetHtmlAsync(fixture.Server.Client, path);
        Assert.Contains($">{heading}</h1>", html, StringComparison.Ordinal);
        Assert.Contains(content, html, StringComparison.Ordinal);
        Assert.DoesNotContain("Loading the models", html, StringComparison.Ordinal);
        // The circuit is still to come: the page says it is not interactive yet.
        Assert.DoesNotContain("data-interactive", html, StringComparison.Ordinal);
    }

    internal static async Task<string> GetHtmlAsync(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        using var response = await client.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {html}");
        return html;
    }
}
