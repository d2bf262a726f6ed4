using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ModelSwap.Gateway.Tests.Functional;

namespace ModelSwap.Gateway.Tests.Management;

/// <summary>/api/events with Last-Event-ID: a reconnecting client gets what it missed, or a fresh snapshot.</summary>
public sealed class EventResumeTests
{
    private static string Config => $"""
        models:
          model-b:
            cmd: {GatewayTestHost.FakeCmd("b")}
        """;

    [Fact]
    public async Task A_client_that_reconnects_with_last_event_id_gets_the_events_it_missed_and_no_snapshot()
    {
        await using var host = await GatewayTestHost.StartAsync(Config);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        string lastSeen;
        using (var first = await OpenAsync(host, null, cancel.Token))
        {
            var events = await ReaderAsync(first, cancel.Token);
            Assert.Equal("snapshot", (await events.NextAsync(cancel.Token))!.Value.Name);
            await PostAsync(host, "/api/models/model-b/load");
            var seen = await NextModelEventAsync(events, "ready", cancel.Token);
            lastSeen = seen.Id!;
        }

        // While nobody listens, the model stops: its state events are published to no one.
        await PostAsync(host, "/api/models/model-b/unload");

        using var again = await OpenAsync(host, lastSeen, cancel.Token);
        var resumed = await ReaderAsync(again, cancel.Token);
        var firstAgain = (await resumed.NextAsync(cancel.Token))!.Value;
        Assert.Equal("model", firstAgain.Name);
        Assert.True(Id(firstAgain.Id) > Id(lastSeen), $"replayed id {firstAgain.Id} is not after {lastSeen}");
        var stopped = firstAgain;
        while (JsonNode.Parse(stopped.Data)!["live"]!["state"]!.GetValue<string>() != "stopped")
        {
            stopped = (await resumed.NextAsync(cancel.Token))!.Value;
            Assert.NotEqual("snapshot", stopped.Name);
        }
        Assert.Equal("model-b", JsonNode.Parse(stopped.Data)!["id"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("1")]
    [InlineData("not-a-number")]
    [InlineData("999999999999999999")]
    public async Task An_unknown_or_forgotten_last_event_id_gets_a_fresh_snapshot(string lastEventId)
    {
        await using var host = await GatewayTestHost.StartAsync(Config);
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        using var response = await OpenAsync(host, lastEventId, cancel.Token);
        var first = (await (await ReaderAsync(response, cancel.Token)).NextAsync(cancel.Token))!.Value;

        Assert.Equal("snapshot", first.Name);
        var list = (await host.Client.GetFromJsonAsync<JsonArray>("/api/models", cancel.Token))!;
        Assert.Equal(list.Select(m => m!["id"]!.GetValue<string>()), JsonNode.Parse(first.Data)!.AsArray().Select(m => m!["id"]!.GetValue<string>()));
    }

    private static async Task<HttpResponseMessage> OpenAsync(GatewayTestHost host, string? lastEventId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/events");
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }
        var response = await host.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"GET /api/events: {(int)response.StatusCode}");
        return response;
    }

    private static async Task<SseReader> ReaderAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        new(new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken)));

    private static async Task<(string? Id, string? Name, string Data)> NextModelEventAsync(SseReader events, string state, CancellationToken cancellationToken)
    {
        while (true)
        {
            var next = (await events.NextAsync(cancellationToken))!.Value;
            if (next.Name == "model" && JsonNode.Parse(next.Data)!["live"]!["state"]!.GetValue<string>() == state)
            {
                return next;
            }
        }
    }

    private static long Id(string? id) => long.Parse(id!, CultureInfo.InvariantCulture);

    private static async Task PostAsync(GatewayTestHost host, string path)
    {
        using var response = await host.Client.PostAsync(path, null);
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
