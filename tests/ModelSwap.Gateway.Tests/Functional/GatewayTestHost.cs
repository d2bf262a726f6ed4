using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using ModelSwap.Core.Configuration;
using ModelSwap.Gateway.Hosting;
using ModelSwap.Gateway.Swapping;
using ModelSwap.Testing;

namespace ModelSwap.Gateway.Tests.Functional;

/// <summary>
/// A real gateway on Kestrel at 127.0.0.1:0 serving a YAML config whose models are real fake-upstream
/// child processes. Disposing it stops every model process.
/// </summary>
internal sealed class GatewayTestHost : IAsyncDisposable
{
    private readonly string _directory;

    private GatewayTestHost(WebApplication app, string directory, string configPath, Uri baseAddress)
    {
        App = app;
        _directory = directory;
        ConfigPath = configPath;
        // Generous: under load (the suite must pass beside stress-ng) a cold model start can take long.
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(3) };
    }

    static GatewayTestHost()
    {
        // Client, gateway and upstream share this process's thread pool in these tests.
        ThreadPool.SetMinThreads(64, 64);
    }

    public WebApplication App { get; }
    public HttpClient Client { get; }
    public string ConfigPath { get; }
    public ModelCoordinator Coordinator => App.Services.GetRequiredService<ModelCoordinator>();
    public ConfigReloader Reloader => App.Services.GetRequiredService<ConfigReloader>();

    /// <summary>A YAML cmd value (single-quoted) that runs the fake upstream on ${PORT}.</summary>
    public static string FakeCmd(string name, string extraArgs = "") =>
        $"'\"{FakeUpstreamLauncher.DotnetPath}\" \"{FakeUpstreamLauncher.DllPath}\" --port ${{PORT}} --name {name} {extraArgs}'".Replace(" '", "'", StringComparison.Ordinal);

    public string ModelsDir => Path.Combine(_directory, "models");

    public static async Task<GatewayTestHost> StartAsync(string yaml, bool watchConfig = false,
        Action<IServiceCollection>? configureServices = null, TimeSpan? shutdownGrace = null)
    {
        var directory = Directory.CreateTempSubdirectory("modelswap-gw-").FullName;
        Directory.CreateDirectory(Path.Combine(directory, "models"));
        var configPath = Path.Combine(directory, "config.yaml");
        if (!yaml.Contains("startPort:", StringComparison.Ordinal))
        {
            // Test classes run in parallel: each host counts ${PORT} from its own block, so two hosts
            // never pick the same port before either of their models has bound it.
            yaml = $"startPort: {TestPorts.NextBlock()}\n" + yaml;
        }
        await File.WriteAllTextAsync(configPath, yaml);
        var loaded = ConfigLoader.LoadFile(configPath);
        if (!loaded.IsValid)
        {
            throw new InvalidOperationException("test config invalid:\n" + string.Join('\n', loaded.Errors));
        }
        var options = new GatewayHostOptions
        {
            Config = loaded.Config!,
            ConfigPath = configPath,
            WatchConfig = watchConfig,
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            ModelsDirs = [Path.Combine(directory, "models")],
            // Each host keeps its own request history, never the user's.
            Activity = Gateway.Activity.ActivityOptions.InHome(directory),
            ShutdownGrace = shutdownGrace ?? GatewayHostOptions.DefaultShutdownGrace,
        };
        var app = GatewayHost.Build(options, configureServices);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new GatewayTestHost(app, directory, configPath, new Uri(address));
    }

    public async Task<JsonObject> ChatAsync(string model, object? extra = null, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = new JsonObject { ["model"] = model, ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hi" }) };
        if (extra is not null)
        {
            foreach (var (key, value) in JsonSerializerHelpers.ToObject(extra))
            {
                body[key] = value?.DeepClone();
            }
        }
        using var response = await Client.PostAsJsonAsync("/v1/chat/completions", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {expected}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>The pid the fake upstream reported for a chat on this model.</summary>
    public async Task<int> PidOfAsync(string model) =>
        (await ChatAsync(model))["fake"]!["pid"]!.GetValue<int>();

    public async Task<IReadOnlyList<string>> RunningAsync(string? apiKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/running");
        if (apiKey is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", apiKey);
        }
        using var response = await Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        var running = await response.Content.ReadFromJsonAsync<JsonObject>();
        return running!["running"]!.AsArray().Select(r => r!["model"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
