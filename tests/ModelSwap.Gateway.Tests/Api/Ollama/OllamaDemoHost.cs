using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ModelSwap.Core.Catalog;
using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Gateway.Tests.Discovery;
using ModelSwap.Hub.HuggingFace;
using ModelSwap.Testing.HuggingFace;

namespace ModelSwap.Gateway.Tests.Api.Ollama;

/// <summary>
/// The gateway as `serve --demo` runs it (the demo chat and embedding models on the real engine, a
/// generated config) with a local Hugging Face mirror holding one more tiny model to pull.
/// </summary>
internal sealed class OllamaDemoHost : IAsyncDisposable
{
    public const string PullRepo = "org/TinyChat-1B-Instruct-GGUF";
    public const string PullName = "hf.co/" + PullRepo + ":Q8_0";

    private OllamaDemoHost(HuggingFaceMirror mirror, DiscoveryTestHost host, string chat, string embed)
    {
        Mirror = mirror;
        Host = host;
        ChatModel = chat;
        EmbedModel = embed;
    }

    public HuggingFaceMirror Mirror { get; }
    public DiscoveryTestHost Host { get; }
    public string ChatModel { get; }
    public string EmbedModel { get; }
    public Uri BaseAddress => Host.Client.BaseAddress!;

    public static async Task<OllamaDemoHost> StartAsync()
    {
        var mirror = await HuggingFaceMirror.StartAsync();
        var staging = Path.Combine(Directory.CreateTempSubdirectory("modelswap-ollama-pull-").FullName, "tinychat-1b-instruct-q8_0.gguf");
        TinyModelBuilder.Write(staging, new TinyModelOptions { Name = "tinychat", Seed = 5 });
        mirror.AddRepo(PullRepo).AddFile(Path.GetFileName(staging), await File.ReadAllBytesAsync(staging));
        Directory.Delete(Path.GetDirectoryName(staging)!, recursive: true);

        var host = await DiscoveryTestHost.StartAsync(folders => DemoModels.Ensure(folders.Models), configureServices: services =>
            services.Replace(ServiceDescriptor.Singleton(new HubOptions(mirror.Endpoint))));
        // The demo models' names come from the naming rules; find them by their files.
        var models = (await host.Client.GetFromJsonAsync<JsonObject>("/v1/models"))!["data"]!.AsArray();
        string ByFile(string file) => models.First(m => m!["metadata"]!["file"]!.GetValue<string>().EndsWith(file, StringComparison.Ordinal))!["id"]!.GetValue<string>();
        return new OllamaDemoHost(mirror, host, ByFile(DemoModels.ChatFile), ByFile(DemoModels.EmbeddingFile));
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Mirror.DisposeAsync();
    }
}
