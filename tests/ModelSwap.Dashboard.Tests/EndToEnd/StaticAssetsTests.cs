using System.Net;
using ModelSwap.Testing;

namespace ModelSwap.Dashboard.Tests.EndToEnd;

/// <summary>The dashboard's page, Blazor's script and MudBlazor's assets come from ModelSwap, built and published.</summary>
public sealed class StaticAssetsTests
{
    public static TheoryData<string> Outputs => ["build", "publish"];

    [Theory]
    [MemberData(nameof(Outputs))]
    public async Task TheDashboardAndEveryAssetItNeedsAreServed(string output)
    {
        var dll = output == "build" ? ModelSwapLauncher.DllPath : await PublishedModelSwap.DllAsync();
        await using var server = await ServedModelSwap.StartAsync(dll);
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = server.BaseUrl };

        // A browser asks for HTML at the root and is sent to the dashboard (API clients get Ollama's plain text).
        using var rootRequest = new HttpRequestMessage(HttpMethod.Get, "/");
        rootRequest.Headers.Accept.ParseAdd("text/html");
        using var root = await noRedirects.SendAsync(rootRequest);
        Assert.Equal(HttpStatusCode.Redirect, root.StatusCode);
        Assert.Equal("/ui", root.Headers.Location?.OriginalString);

        var html = await server.Client.GetStringAsync("/ui");
        Assert.Contains("<title>ModelSwap</title>", html, StringComparison.Ordinal);
        var assets = System.Text.RegularExpressions.Regex.Matches(html, "(?:href|src)=\"([^\"]+\\.(?:css|js))\"")
            .Select(m => m.Groups[1].Value).ToList();
        Assert.Contains(assets, a => a.StartsWith("_content/MudBlazor/", StringComparison.Ordinal) && a.EndsWith(".css", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.StartsWith("_content/MudBlazor/", StringComparison.Ordinal) && a.EndsWith(".js", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.StartsWith("_framework/blazor.web", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.StartsWith("_content/ModelSwap.Dashboard/", StringComparison.Ordinal));
        foreach (var asset in assets)
        {
            Assert.DoesNotContain("//", asset, StringComparison.Ordinal);
            using var response = await server.Client.GetAsync("/" + asset);
            Assert.True(response.IsSuccessStatusCode, $"{asset}: HTTP {(int)response.StatusCode} from the {output} output");
            Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 100, $"{asset} is empty");
        }
    }
}
