using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ModelSwap.Gateway.Swapping;
using ModelSwap.Gateway.Tests.Discovery;

namespace ModelSwap.Gateway.Tests.Management;

/// <summary>
/// Deleting a model while clients keep asking for it: the coordinator retires it as one step, so no
/// request starts it again on files being deleted, and nobody gets a 5xx.
/// </summary>
public sealed class DeleteRaceTests
{
    [Fact]
    public async Task Eight_clients_requesting_a_model_while_it_is_deleted_get_answers_never_a_restart()
    {
        await using var host = await DiscoveryTestHost.StartAsync(folders => folders.Tiny("tiny-chat-q8_0.gguf"));
        var id = Assert.Single(await host.ModelIdsAsync());
        var file = Path.Combine(host.ModelsDir, "tiny-chat-q8_0.gguf");
        await host.ChatAsync(id);

        var coordinator = host.App.Services.GetRequiredService<ModelCoordinator>();
        var deleting = 0;
        var startsDuringDelete = 0;
        coordinator.StateChanged += status =>
        {
            if (Volatile.Read(ref deleting) == 1 && status.ModelId == id && status.State == ModelState.Starting)
            {
                Interlocked.Increment(ref startsDuringDelete);
            }
        };

        var codes = new ConcurrentBag<(HttpStatusCode Code, bool AfterDelete, string Body)>();
        var served = 0;
        var deleted = 0;
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var afterDelete = 0;
            while (!stop.IsCancellationRequested && afterDelete < 3)
            {
                var after = Volatile.Read(ref deleted) == 1;
                using var response = await host.Client.PostAsJsonAsync("/v1/chat/completions",
                    new { model = id, messages = new[] { new { role = "user", content = "hi" } }, max_tokens = 2 });
                codes.Add((response.StatusCode, after, await response.Content.ReadAsStringAsync()));
                Interlocked.Increment(ref served);
                afterDelete += after ? 1 : 0;
            }
        })).ToArray();
        await DiscoveryTestHost.WaitUntilAsync(() => Task.FromResult(Volatile.Read(ref served) >= 8), "the clients' first requests");

        Volatile.Write(ref deleting, 1);
        using var delete = await host.Client.DeleteAsync($"/api/models/{id}");
        var outcome = await delete.Content.ReadAsStringAsync();
        Volatile.Write(ref deleted, 1);
        await Task.WhenAll(clients).WaitAsync(DiscoveryTestHost.HangGuard);

        Assert.True(delete.StatusCode == HttpStatusCode.OK, outcome);
        Assert.Contains(file, JsonNode.Parse(outcome)!["deleted"]!.AsArray().Select(f => f!.GetValue<string>()));
        Assert.False(File.Exists(file));
        Assert.Equal(0, startsDuringDelete);
        Assert.DoesNotContain(codes, c => (int)c.Code >= 500);
        Assert.All(codes, c => Assert.True(c.Code is HttpStatusCode.OK or HttpStatusCode.Conflict or HttpStatusCode.NotFound, $"{(int)c.Code} {c.Body}"));
        Assert.All(codes.Where(c => c.AfterDelete), c => Assert.Equal(HttpStatusCode.NotFound, c.Code));
        Assert.All(codes.Where(c => c.Code == HttpStatusCode.Conflict), c => Assert.Contains("model_being_deleted", c.Body));
        Assert.Empty(await host.ModelIdsAsync());
        Assert.DoesNotContain(id, (await host.Client.GetFromJsonAsync<JsonArray>("/api/models"))!.Select(m => m!["id"]!.GetValue<string>()));
    }
}
