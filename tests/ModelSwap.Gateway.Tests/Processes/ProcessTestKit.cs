using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ModelSwap.Core.Configuration;
using ModelSwap.Gateway.Processes;
using ModelSwap.Testing;

namespace ModelSwap.Gateway.Tests.Processes;

/// <summary>
/// Real model processes for tests: the app's own DI registration, fake upstreams on free ports,
/// and cleanup of every process a test started (including pids it learned from logs).
/// </summary>
internal sealed class ProcessTestKit : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly List<IModelProcess> _processes = [];
    private readonly List<int> _extraPids = [];

    public ProcessTestKit()
    {
        ThreadPool.SetMinThreads(64, 64);
        _services = new ServiceCollection().AddLogging().AddModelProcesses().BuildServiceProvider();
        Factory = _services.GetRequiredService<IModelProcessFactory>();
        UpstreamLogs = _services.GetRequiredService<UpstreamLogs>();
    }

    public IModelProcessFactory Factory { get; }

    public UpstreamLogs UpstreamLogs { get; }

    public HttpClient Http { get; } = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromMinutes(2) };

    /// <summary>A model whose command is the fake upstream on a fresh port.</summary>
    public static ModelConfig FakeModel(string id, params string[] flags)
    {
        var port = FreePort.Get();
        return new ModelConfig
        {
            Id = id,
            Command = [.. FakeUpstreamLauncher.Command(port, id, flags)],
            Proxy = new Uri($"http://127.0.0.1:{port}"),
            Port = port,
            HealthCheckTimeout = TimeSpan.FromSeconds(60),
            UnloadTimeout = TimeSpan.FromSeconds(20),
        };
    }

    public ModelProcess Create(ModelConfig model)
    {
        // The bare process (the factory wraps it in the port guard, tested on its own).
        var process = new ModelProcess(model,
            _services.GetRequiredService<IHttpClientFactory>().CreateClient(ModelProcessFactory.HealthClientName),
            UpstreamLogs, TimeProvider.System, _services.GetRequiredService<Microsoft.Extensions.Logging.ILogger<ModelProcess>>());
        _processes.Add(process);
        return process;
    }

    /// <summary>Remembers a pid the test learned (a grandchild) so it is killed even if the test fails.</summary>
    public void Track(int pid) => _extraPids.Add(pid);

    public async Task<JsonNode> EchoAsync(ModelConfig model, JsonObject body)
    {
        using var response = await Http.PostAsJsonAsync(new Uri(model.Proxy, "/echo"), body);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonNode>())!["fake"]!;
    }

    /// <summary>Makes the fake upstream exit with <paramref name="code"/> now (its connection just drops).</summary>
    public async Task CrashAsync(ModelConfig model, int code = 70)
    {
        try
        {
            using var response = await Http.PostAsync(new Uri(model.Proxy, $"/fake/exit?code={code}"), null);
        }
        catch (HttpRequestException)
        {
            // The fake exits before answering.
        }
    }

    /// <summary>Waits for a condition that is expected to hold soon; false when it did not within <paramref name="limit"/>.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan? limit = null)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > (limit ?? TimeSpan.FromMinutes(2)))
            {
                return false;
            }
            await Task.Delay(10);
        }
        return true;
    }

    /// <summary>The pid printed by the fake on a line starting with <paramref name="prefix"/>.</summary>
    public static int PidFromLogs(ModelProcess process, string prefix)
    {
        var line = process.Logs.Snapshot().Single(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return int.Parse(line[prefix.Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
        foreach (var pid in _extraPids)
        {
            if (ProcessTree.IsAlive(pid))
            {
                PosixNative.Kill(pid, PosixNative.SigKill);
            }
        }
        Http.Dispose();
        await _services.DisposeAsync();
    }
}
