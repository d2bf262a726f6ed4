using ModelSwap.Core.Configuration;
using ModelSwap.Gateway.Processes;

namespace ModelSwap.Gateway.Tests.Processes;

public sealed class ReadinessProbeTests
{
    [Theory]
    [InlineData(0, 2)]
    [InlineData(50, 2)]
    [InlineData(250, 5)]
    [InlineData(400, 8)]
    [InlineData(1000, 10)]
    [InlineData(60_000, 10)]
    public void Polls_fast_at_first_then_backs_off_in_proportion(int elapsedMs, int expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), ReadinessProbe.IntervalAfter(TimeSpan.FromMilliseconds(elapsedMs)));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5800", "/health", "http://127.0.0.1:5800/health")]
    [InlineData("http://localhost:5800/", "health", "http://localhost:5800/health")]
    [InlineData("http://127.0.0.1:5800/base/", "/v1/models", "http://127.0.0.1:5800/base/v1/models")]
    public void Health_uri_joins_proxy_and_check_endpoint(string proxy, string endpoint, string expected)
    {
        var model = new ModelConfig { Id = "m", Command = ["x"], Proxy = new Uri(proxy), CheckEndpoint = endpoint };

        Assert.Equal(new Uri(expected), ReadinessProbe.HealthUri(model));
    }
}
