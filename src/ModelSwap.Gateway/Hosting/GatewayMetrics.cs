using System.Diagnostics;
using ModelSwap.Gateway.Swapping;
using Prometheus;

namespace ModelSwap.Gateway.Hosting;

/// <summary>
/// The Prometheus metrics /metrics serves. Each gateway has its own registry (tests run several in
/// one process). Labels are model ids from the config, so their number stays bounded.
/// </summary>
internal sealed class GatewayMetrics
{
    private readonly ModelCoordinator _coordinator;
    private readonly Counter _requests;
    private readonly Histogram _duration;
    private readonly Counter _transitions;
    private readonly Gauge _state;
    private readonly Gauge _inFlight;
    private readonly Gauge _queued;

    public GatewayMetrics(ModelCoordinator coordinator)
    {
        _coordinator = coordinator;
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        _requests = factory.CreateCounter("modelswap_requests_total",
            "Requests forwarded to a model, by model and HTTP status.", "model", "code");
        _duration = factory.CreateHistogram("modelswap_request_duration_seconds",
            "Time from request to the end of the response (cold starts and streams included).",
            new HistogramConfiguration
            {
                LabelNames = ["model"],
                Buckets = [0.005, 0.025, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
            });
        _transitions = factory.CreateCounter("modelswap_model_transitions_total",
            "Model state changes (starting, ready, stopping, stopped), by model and new state.", "model", "state");
        _state = factory.CreateGauge("modelswap_model_state",
            "1 for the state each configured model is in now.", "model", "state");
        _inFlight = factory.CreateGauge("modelswap_model_in_flight_requests", "Requests a model is answering now.", "model");
        _queued = factory.CreateGauge("modelswap_model_queued_requests", "Requests waiting for a model.", "model");
        coordinator.StateChanged += status => _transitions.WithLabels(status.ModelId, Name(status.State)).Inc();
        Registry.AddBeforeCollectCallback(RefreshGauges);
    }

    public CollectorRegistry Registry { get; }

    /// <summary>Records a forwarded request once its response has ended.</summary>
    public void RecordRequest(string modelId, int statusCode, TimeSpan elapsed)
    {
        _requests.WithLabels(modelId, statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc();
        _duration.WithLabels(modelId).Observe(elapsed.TotalSeconds);
    }

    public static long Now() => Stopwatch.GetTimestamp();

    private void RefreshGauges()
    {
        var config = _coordinator.Config;
        var statuses = _coordinator.GetStatus().ToDictionary(s => s.ModelId, StringComparer.Ordinal);
        foreach (var id in config.Models.Keys)
        {
            var status = statuses.GetValueOrDefault(id);
            var current = status?.State ?? ModelState.Stopped;
            foreach (var state in Enum.GetValues<ModelState>())
            {
                _state.WithLabels(id, Name(state)).Set(state == current ? 1 : 0);
            }
            _inFlight.WithLabels(id).Set(status?.InFlight ?? 0);
            _queued.WithLabels(id).Set(status?.Queued ?? 0);
        }
    }

    private static string Name(ModelState state) => state.ToString().ToLowerInvariant();
}
