using Microsoft.Extensions.Logging;
using ModelSwap.Core.Configuration;

namespace ModelSwap.Gateway.Processes;

/// <summary>Makes real <see cref="ModelProcess"/>es.</summary>
internal sealed class ModelProcessFactory : IModelProcessFactory
{
    /// <summary>Name of the HttpClient used for readiness probes (see <see cref="ProcessesServiceCollectionExtensions"/>).</summary>
    public const string HealthClientName = "ModelSwap.ReadinessProbe";

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly UpstreamLogs _upstreamLogs;
    private readonly TimeProvider _timeProvider;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger<ModelProcess> _logger;
    private int _warned;

    public ModelProcessFactory(IHttpClientFactory httpClientFactory, UpstreamLogs upstreamLogs, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        _httpClientFactory = httpClientFactory;
        _upstreamLogs = upstreamLogs;
        _timeProvider = timeProvider;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<ModelProcess>();
    }

    public IModelProcess Create(ModelConfig model)
    {
        ArgumentNullException.ThrowIfNull(model);
        WarnOnceAboutMissingWrapper();
        return new PortGuardedProcess(model,
            config => new ModelProcess(config, _httpClientFactory.CreateClient(HealthClientName), _upstreamLogs, _timeProvider, _logger),
            _logger);
    }

    private void WarnOnceAboutMissingWrapper()
    {
        if (!OperatingSystem.IsLinux() || Interlocked.Exchange(ref _warned, 1) != 0)
        {
            return;
        }
        var wrapper = LaunchWrapper.Current;
        var logger = _loggerFactory.CreateLogger<ModelProcessFactory>();
        if (!wrapper.KillsOnParentDeath)
        {
            ProcessLog.NoParentDeathSignal(logger);
        }
        if (!wrapper.NewSession)
        {
            ProcessLog.NoNewSession(logger);
        }
    }
}
