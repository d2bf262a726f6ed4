using System.Net;
using System.Net.Http.Json;
using ModelSwap.Gateway.Tests.Functional;

namespace ModelSwap.Gateway.Tests.Hosting;

/// <summary>The dashboard's session: a key traded for an HttpOnly, SameSite=Strict cookie; cookie changes only from the same origin.</summary>
public sealed class SessionCookieTests
{
    [Fact]
    public async Task A_key_becomes_a_cookie_that_reads_but_changes_only_from_the_same_origin()
    {
        await using var host = await GatewayTestHost.StartAsync($"""
            apiKeys: ["sk-session"]
            models:
              model-a:
                cmd: {GatewayTestHost.FakeCmd("a")}
            """);
        using var wrong = await host.Client.PostAsJsonAsync("/api/session", new { key = "sk-nope" });
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.False(wrong.Headers.Contains("Set-Cookie"));

        using var login = await host.Client.PostAsJsonAsync("/api/session", new { key = "sk-session" });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var setCookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        var cookie = setCookie.Split(';')[0];

        using var read = new HttpRequestMessage(HttpMethod.Get, "/running");
        read.Headers.Add("Cookie", cookie);
        using var readResponse = await host.Client.SendAsync(read);
        Assert.Equal(HttpStatusCode.OK, readResponse.StatusCode);

        using var crossSite = new HttpRequestMessage(HttpMethod.Post, "/unload");
        crossSite.Headers.Add("Cookie", cookie);
        crossSite.Headers.Add("Origin", "http://evil.example");
        crossSite.Headers.Add("Sec-Fetch-Site", "cross-site");
        using var crossResponse = await host.Client.SendAsync(crossSite);
        Assert.Equal(HttpStatusCode.Forbidden, crossResponse.StatusCode);

        using var crossOriginOnly = new HttpRequestMessage(HttpMethod.Post, "/unload");
        crossOriginOnly.Headers.Add("Cookie", cookie);
        crossOriginOnly.Headers.Add("Origin", "http://evil.example");
        using var crossOriginResponse = await host.Client.SendAsync(crossOriginOnly);
        Assert.Equal(HttpStatusCode.Forbidden, crossOriginResponse.StatusCode);

        using var sameSite = new HttpRequestMessage(HttpMethod.Post, "/unload");
        sameSite.Headers.Add("Cookie", cookie);
        sameSite.Headers.Add("Origin", host.Client.BaseAddress!.GetLeftPart(UriPartial.Authority));
        sameSite.Headers.Add("Sec-Fetch-Site", "same-origin");
        using var sameResponse = await host.Client.SendAsync(sameSite);
        Assert.Equal(HttpStatusCode.OK, sameResponse.StatusCode);

        // The cookie never reaches a model server.
        using var chat = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = "model-a", messages = new[] { new { role = "user", content = "hi" } } }),
        };
        chat.Headers.Add("Cookie", cookie);
        chat.Headers.Add("Sec-Fetch-Site", "same-origin");
        using var chatResponse = await host.Client.SendAsync(chat);
        var fake = (await chatResponse.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["fake"]!;
        Assert.Equal("", fake["cookie"]!.GetValue<string>());
    }
}
