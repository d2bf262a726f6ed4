using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Hub.HuggingFace;
using ModelSwap.Testing.HuggingFace;

namespace ModelSwap.Gateway.Tests.Discovery;

/// <summary>A model pulled from (a mirror of) Hugging Face is served at once, through the real engine.</summary>
public sealed class PullAndServeTests
{
    [Fact]
    public async Task A_pulled_model_is_listed_and_answers_a_chat_without_a_restart()
    {
        await using var mirror = await HuggingFaceMirror.StartAsync();
        var staging = Directory.CreateTempSubdirectory("modelswap-pull-").FullName;
        try
        {
            var source = Path.Combine(staging, "tinychat-1b-instruct-q8_0.gguf");
            TinyModelBuilder.Write(source, new TinyModelOptions { Name = "tinychat", Seed = 5 });
            mirror.AddRepo("org/TinyChat-1B-Instruct-GGUF").AddFile("tinychat-1b-instruct-q8_0.gguf", await File.ReadAllBytesAsync(source));

            await using var host = await DiscoveryTestHost.StartAsync(_ => { }, configureServices: services =>
                services.Replace(ServiceDescriptor.Singleton(new HubOptions(mirror.Endpoint))));
            Assert.Empty(await host.ModelIdsAsync());

            using var start = await host.Client.PostAsJsonAsync("/api/downloads", new { model = "org/TinyChat-1B-Instruct-GGUF:Q8_0" });
            Assert.Equal(HttpStatusCode.Accepted, start.StatusCode);
            var id = (await start.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
            await DiscoveryTestHost.WaitUntilAsync(async () =>
                (await host.Client.GetFromJsonAsync<JsonObject>($"/api/downloads/{id}"))!["state"]!.GetValue<string>() is "completed", "the download completing");

            await DiscoveryTestHost.WaitUntilAsync(async () => (await host.ModelIdsAsync()).Contains("tinychat:1b-instruct"), "the pulled model being listed");
            var reply = await host.ChatAsync("tinychat:1b-instruct");
            Assert.False(string.IsNullOrEmpty(reply["choices"]![0]!["message"]!["content"]!.GetValue<string>()));
            Assert.Equal("tinychat:1b-instruct", reply["model"]!.GetValue<string>());
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }
}
