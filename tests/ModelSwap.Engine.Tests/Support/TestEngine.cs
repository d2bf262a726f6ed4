using ModelSwap.Engine.Hosting;
using ModelSwap.Engine.Inference;

namespace ModelSwap.Engine.Tests.Support;

/// <summary>An in-process engine on 127.0.0.1 with a free port, plus an HttpClient for it.</summary>
internal sealed class TestEngine : IAsyncDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);

    private TestEngine(EngineHost host)
    {
        Host = host;
        Http = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromSeconds(120) };
    }

    public EngineHost Host { get; }
    public HttpClient Http { get; }
    public Uri BaseAddress => Host.BaseAddress;

    /// <summary>The engine's inference loop, for its counters.</summary>
    public InferenceLoop Loop => Host.State.Ready?.Loop ?? throw new InvalidOperationException("The engine is not ready.");

    /// <param name="time">The engine's clock (a FakeTimeProvider drives its timeouts without waiting).</param>
    public static async Task<TestEngine> StartAsync(EngineOptions options, bool waitUntilReady = true, TimeProvider? time = null)
    {
        // Client and server share this process's thread pool; don't let its slow growth stall either.
        ThreadPool.SetMinThreads(64, 64);
        var host = new EngineHost(options with { Host = "127.0.0.1", Port = 0 }, timeProvider: time);
        await host.StartAsync();
        if (waitUntilReady)
            await host.WaitUntilReadyAsync().WaitAsync(ReadyTimeout);
        return new TestEngine(host);
    }

    /// <summary>Waits (without a timing assertion) until a condition holds, failing after a generous deadline.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting until {what}.");
            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }
}
