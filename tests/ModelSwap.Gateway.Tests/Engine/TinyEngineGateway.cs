using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Gateway.Tests.Functional;
using ModelSwap.Testing;

namespace ModelSwap.Gateway.Tests.Engine;

/// <summary>
/// A generated tiny GGUF served by the built-in engine (a real `modelswap engine` process) as model
/// `tiny` behind a gateway: the set-up the engine client suites share. Each suite picks its own seed.
/// </summary>
internal sealed class TinyEngineGateway : IAsyncDisposable
{
    private readonly string _models;

    private TinyEngineGateway(string models, GatewayTestHost host)
    {
        _models = models;
        Host = host;
    }

    public GatewayTestHost Host { get; }

    public static async Task<TinyEngineGateway> StartAsync(int seed)
    {
        var models = Directory.CreateTempSubdirectory("modelswap-engine-gateway-").FullName;
        try
        {
            var model = Path.Combine(models, "tiny.gguf");
            TinyModelBuilder.Write(model, new TinyModelOptions { Seed = seed });
            var cmd = $"'\"{FakeUpstreamLauncher.DotnetPath}\" \"{ModelSwapLauncher.DllPath}\" engine --port ${{PORT}} --model \"{model}\" --ctx-size 1024 --alias tiny'";
            var host = await GatewayTestHost.StartAsync($"""
                healthCheckTimeout: 60
                models:
                  tiny:
                    cmd: {cmd}
                """);
            return new TinyEngineGateway(models, host);
        }
        catch
        {
            Directory.Delete(models, recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Directory.Delete(_models, recursive: true);
    }
}
