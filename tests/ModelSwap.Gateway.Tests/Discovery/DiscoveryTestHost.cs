using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using ModelSwap.Core.Catalog;
using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Gateway.Discovery;
using ModelSwap.Gateway.Hosting;
using ModelSwap.Testing;

namespace ModelSwap.Gateway.Tests.Discovery;

/// <summary>
/// A real gateway on 127.0.0.1:0 serving a config generated from a temp models folder, whose
/// models run on the real built-in engine (<c>dotnet modelswap.dll engine</c>). Disposing it stops
/// every model process and deletes the folders.
/// </summary>
internal sealed class DiscoveryTestHost : IAsyncDisposable
{
    /// <summary>Generous: the engine loads a tiny model in well under a second, but CI machines are slow and busy.</summary>
    public static readonly TimeSpan HangGuard = TimeSpan.FromMinutes(2);

    private DiscoveryTestHost(WebApplication app, string root, Uri address)
    {
        App = app;
        Root = root;
        Client = new HttpClient { BaseAddress = address, Timeout = HangGuard };
    }

    static DiscoveryTestHost()
    {
        ThreadPool.SetMinThreads(64, 64);
    }

    public WebApplication App { get; }
    public HttpClient Client { get; }
    public string Root { get; }
    public string ModelsDir => Path.Combine(Root, "models");
    public string Home => Path.Combine(Root, "home");
    public ModelCatalogService Catalog => App.Services.GetRequiredService<ModelCatalogService>();

    /// <summary>Creates the folders, lets <paramref name="arrange"/> put files in, generates and starts serving.</summary>
    public static async Task<DiscoveryTestHost> StartAsync(Action<DiscoveryTestHost.Folders> arrange, bool polling = false,
        Action<IServiceCollection>? configureServices = null)
    {
        var root = Directory.CreateTempSubdirectory("modelswap-discovery-").FullName;
        var folders = new Folders(root);
        Directory.CreateDirectory(folders.Models);
        arrange(folders);
        var discovery = new DiscoveryOptions
        {
            Catalog = new CatalogOptions
            {
                ModelDirectories = [folders.Models],
                BundledDirectory = null,
                HomeDirectory = Path.Combine(root, "home"),
                EngineCommand = [.. ModelSwapLauncher.Command],
                LlamaServer = CatalogGenerator.EngineSetting,
                Settings = new GeneratorSettings { StartPort = TestPorts.NextBlock(), HealthCheckTimeout = HangGuard },
            },
            Polling = polling,
        };
        var prepared = await DiscoveryStartup.PrepareAsync(discovery, new IPEndPoint(IPAddress.Loopback, 0));
        Assert.True(prepared.Options is not null, string.Join('\n', prepared.Errors));
        var app = GatewayHost.Build(prepared.Options!, configureServices);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DiscoveryTestHost(app, root, new Uri(address));
    }

    /// <summary>Writes a tiny runnable model to a staging folder, then copies it in, as a user would.</summary>
    public string AddModel(string fileName, bool embedding = false, int seed = 42)
    {
        var staged = Path.Combine(Root, "staging", fileName);
        Directory.CreateDirectory(Path.GetDirectoryName(staged)!);
        TinyModelBuilder.Write(staged, new TinyModelOptions { Embedding = embedding, Seed = seed });
        var target = Path.Combine(ModelsDir, fileName);
        File.Copy(staged, target);
        return target;
    }

    public async Task<IReadOnlyList<string>> ModelIdsAsync()
    {
        var list = await Client.GetFromJsonAsync<JsonObject>("/v1/models");
        return [.. list!["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>())];
    }

    /// <summary>Model id to pid of every running model.</summary>
    public async Task<IReadOnlyDictionary<string, int>> RunningAsync()
    {
        var running = await Client.GetFromJsonAsync<JsonObject>("/running");
        return running!["running"]!.AsArray()
            .Where(r => r!["pid"] is not null)
            .ToDictionary(r => r!["model"]!.GetValue<string>(), r => r!["pid"]!.GetValue<int>());
    }

    public async Task<JsonObject> ChatAsync(string model)
    {
        using var response = await Client.PostAsJsonAsync("/v1/chat/completions", new
        {
            model,
            messages = new[] { new { role = "user", content = "hi" } },
            max_tokens = 4,
        });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"chat with {model}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public async Task<JsonObject> EmbedAsync(string model)
    {
        using var response = await Client.PostAsJsonAsync("/v1/embeddings", new { model, input = "hello" });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"embed with {model}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails after the hang guard, never on timing alone.</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + HangGuard;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"hang guard: {what} did not happen within {HangGuard.TotalSeconds} s");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The folders before the gateway starts.</summary>
    public sealed class Folders(string root)
    {
        public string Models { get; } = Path.Combine(root, "models");
        public string Home { get; } = Path.Combine(root, "home");

        public string Tiny(string fileName, bool embedding = false)
        {
            var path = Path.Combine(Models, fileName);
            TinyModelBuilder.Write(path, new TinyModelOptions { Embedding = embedding });
            SmallGguf.Age(path);
            return path;
        }
    }
}
