using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ModelSwap.Engine.Api;
using ModelSwap.Engine.Embeddings;
using ModelSwap.Engine.Inference;
using ModelSwap.Engine.Model;

namespace ModelSwap.Engine.Hosting;

/// <summary>
/// The built-in OpenAI-compatible model server. Kestrel listens first and `/health` answers 503
/// "Loading model" while the GGUF loads in the background, then 200 — the same contract as
/// llama-server, so the gateway treats both alike. A model that fails to load ends <see cref="RunAsync"/>
/// with <see cref="ExitLoadFailed"/>.
/// </summary>
internal sealed class EngineHost : IAsyncDisposable
{
    /// <summary>Exit code when the model could not be loaded, or the engine broke while serving.</summary>
    public const int ExitLoadFailed = 1;

    private readonly EngineOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly EngineState _state;
    private readonly TaskCompletionSource<int> _exit = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _lifetime = new();
    private WebApplication? _app;
    private Task _loading = Task.CompletedTask;
    private Uri? _baseAddress;
    private int _stopped;

    /// <exception cref="ArgumentException">The options are invalid; the message lists every problem.</exception>
    public EngineHost(EngineOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        _options = options;
        _loggerFactory = loggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggerFactory.CreateLogger("ModelSwap.Engine");
        _state = new EngineState(options, timeProvider ?? TimeProvider.System);
    }

    public EngineStatus Status => _state.Status;

    /// <summary>Why loading failed; null otherwise.</summary>
    public string? FailureReason => _state.FailureReason;

    /// <summary>The address Kestrel listens on (with the real port when 0 was asked); set by <see cref="StartAsync"/>.</summary>
    public Uri BaseAddress => _baseAddress ?? throw new InvalidOperationException("The engine has not been started.");

    /// <summary>Internal state for tests: the inference loop's counters.</summary>
    internal EngineState State => _state;

    /// <summary>Listens, then loads the model in the background; returns once the port is open.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_app is not null)
            throw new InvalidOperationException("The engine has already been started.");

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "ModelSwap.Engine" });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(ListenAddress(_options.Host), _options.Port);
        });
        builder.Services.AddSingleton(_loggerFactory);
        builder.Services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
        builder.Services.AddSingleton(_state);
        builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();
        AddImageFetching(builder.Services);

        var app = builder.Build();
        app.Run(EngineRoutes.DispatchAsync);
        // SIGTERM or Ctrl+C stop the app through the host's console lifetime; RunAsync then returns.
        app.Lifetime.ApplicationStopping.Register(() => _exit.TrySetResult(0));
        _app = app;

        _state.SetLoading();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _baseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
        EngineLog.Listening(_logger, address, _options.ModelPath);
        _loading = Task.Run(() => LoadAsync(_lifetime.Token), CancellationToken.None);
    }

    /// <summary>
    /// The client for images named by URL: a few redirects (never to another scheme than http/https),
    /// compressed bodies, no client-wide timeout (<see cref="ImageFetcher"/> bounds each download with the
    /// TimeProvider) and a connect timeout so an unroutable host fails fast.
    /// </summary>
    private static void AddImageFetching(IServiceCollection services)
    {
        services.AddHttpClient(ImageFetcher.ClientName, client =>
        {
            client.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
            client.DefaultRequestHeaders.UserAgent.ParseAdd("ModelSwap-Engine");
        }).ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
        {
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 5,
            AutomaticDecompression = System.Net.DecompressionMethods.All,
            ConnectTimeout = ImageFetcher.Timeout,
        });
        services.AddSingleton<ImageFetcher>();
    }

    /// <summary>Completes when the model is ready; throws <see cref="InvalidOperationException"/> with the reason if it failed.</summary>
    public Task WaitUntilReadyAsync(CancellationToken cancellationToken = default) => _loaded.Task.WaitAsync(cancellationToken);

    /// <summary>
    /// Starts and serves until <paramref name="cancellationToken"/> fires or the host is told to stop
    /// (exit 0), or the model fails to load (<see cref="ExitLoadFailed"/>). Stops cleanly either way.
    /// </summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        await StartAsync(cancellationToken).ConfigureAwait(false);
        int code;
        try
        {
            code = await _exit.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            code = 0;
        }
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        return code;
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (_options.BeforeLoad is { } beforeLoad)
                await beforeLoad(cancellationToken).ConfigureAwait(false);
            // Both must precede the first native call: LLamaSharp fixes the library and the log sink when it loads.
            NativeLibraries.Configure(_options.NativeDirectory, _logger);
            NativeLogRouter.Install(_loggerFactory.CreateLogger("ModelSwap.Engine.LlamaCpp"));
            var model = await ModelLoader.LoadAsync(_options, _state.Time, _logger, cancellationToken).ConfigureAwait(false);
            NativeLibraries.LogLoaded(_logger);
            if (cancellationToken.IsCancellationRequested)
            {
                model.Dispose();
                return;
            }
            var loop = new InferenceLoop(model, _state.Time, _logger);
            // A loop that dies on its own leaves a server that can only fail: end the process so its owner restarts it.
            _ = loop.Completion.ContinueWith(_ =>
            {
                if (_lifetime.IsCancellationRequested)
                    return;
                _state.SetFailed("the inference loop stopped unexpectedly (see the log)");
                _exit.TrySetResult(ExitLoadFailed);
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            var embeddings = model.EmbeddingContext is { } embedder ? new EmbeddingService(embedder, model) : null;
            _state.SetReady(new ReadyModel(model, loop, embeddings));
            EngineLog.ModelReady(_logger, model.ModelId, model.LoadTime.TotalSeconds, model.Weights.ParameterCount,
                model.ContextPerRequest, model.Parallel, _options.Threads,
                (embeddings is null ? "" : $", embeddings ({embeddings.Dimensions} dimensions)") + (model.Reranker is null ? "" : ", reranking"));
            _loaded.TrySetResult();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _loaded.TrySetCanceled(cancellationToken);
        }
        catch (Exception ex)
        {
            var reason = ex is ModelLoadException ? ex.Message : DescribeUnexpected(ex);
            _state.SetFailed(reason);
            EngineLog.LoadFailed(_logger, _options.ModelPath, reason);
            _loaded.TrySetException(new InvalidOperationException($"Failed to load model {_options.ModelPath}: {reason}", ex));
            _exit.TrySetResult(ExitLoadFailed);
        }
    }

    private static string DescribeUnexpected(Exception ex)
    {
        var inner = ex is TypeInitializationException { InnerException: { } cause } ? cause : ex;
        var message = inner.Message;
        // LLamaSharp's message when the natives cannot load; the usual cause on Debian/Ubuntu is a missing OpenMP runtime.
        if (message.Contains("native library", StringComparison.OrdinalIgnoreCase))
            message += " (llama.cpp's libraries need libgomp1: apt-get install libgomp1)";
        return message;
    }

    /// <summary>Ends running generations (their streams get an error event), stops listening and frees the model.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
            return;
        EngineLog.Stopping(_logger);
        await _lifetime.CancelAsync().ConfigureAwait(false);
        _exit.TrySetResult(0);
        try
        {
            await _loading.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        // New requests get 503 from here on; generations end now rather than run to max_tokens.
        var ready = _state.SetStopped();
        if (ready is not null)
            await ready.Loop.DisposeAsync().ConfigureAwait(false);
        if (_app is not null)
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                await _app.StopAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        if (ready is not null)
        {
            ready.Embeddings?.Dispose();
            ready.Model.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (_app is not null)
            await _app.DisposeAsync().ConfigureAwait(false);
        _lifetime.Dispose();
        }

    private static IPAddress ListenAddress(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback : IPAddress.Parse(host);
}
