namespace ModelSwap.Gateway.Tests.Functional;

/// <summary>GET /metrics in Prometheus text format: request counts, durations and model states.</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task Requests_durations_and_model_states_are_exported()
    {
        await using var host = await GatewayTestHost.StartAsync($"""
            models:
              model-a:
                cmd: {GatewayTestHost.FakeCmd("a")}
              model-b:
                cmd: {GatewayTestHost.FakeCmd("b")}
            """);
        await host.ChatAsync("model-a");
        await host.ChatAsync("model-a");

        var metrics = await host.Client.GetStringAsync("/metrics");
        Assert.Contains("modelswap_requests_total{model=\"model-a\",code=\"200\"} 2", metrics);
        Assert.Contains("modelswap_request_duration_seconds_count{model=\"model-a\"} 2", metrics);
        Assert.Contains("modelswap_model_state{model=\"model-a\",state=\"ready\"} 1", metrics);
        Assert.Contains("modelswap_model_state{model=\"model-b\",state=\"stopped\"} 1", metrics);
        Assert.Contains("modelswap_model_transitions_total{model=\"model-a\",state=\"starting\"} 1", metrics);
        Assert.Contains("modelswap_model_in_flight_requests{model=\"model-a\"} 0", metrics);
    }
}
