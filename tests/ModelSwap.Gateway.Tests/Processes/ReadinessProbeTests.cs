using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
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

    [Fact]
    public async Task A_wrong_health_answer_is_reported_once_with_its_count()
    {
        const int wrongAnswers = 6;
        var answered = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        app.MapGet("/health", () => Interlocked.Increment(ref answered) <= wrongAnswers ? Results.NotFound() : Results.Ok());
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var http = new HttpClient();
        var reports = new List<string>();
        var probe = new ReadinessProbe(http, new Uri(url + "/health"), TimeProvider.System, reports.Add);

        await probe.WaitUntilReadyAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(1));
        probe.ReportLast();

        var report = Assert.Single(reports);
        Assert.StartsWith($"HTTP 404 × {wrongAnswers} in ", report);
        Assert.Equal($"HTTP 404 × {wrongAnswers}", probe.OutcomeTotals);
        Assert.Equal(wrongAnswers + 1, probe.Attempts);
    }

    [Fact]
    public async Task A_connect_failure_that_escapes_unwrapped_means_not_ready_yet()
    {
        // SocketsHttpHandler lets a reset seen while it reads the new connection's peer address out
        // as a bare SocketException (ENOTCONN); a starting llama-server under load produces it. The
        // first attempts fail that way here, then the real server answers.
        const int failures = 3;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using var app = builder.Build();
        app.MapGet("/health", () => Results.Ok());
        await app.StartAsync();
        var url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        using var http = new HttpClient(new ResetFirst(failures, new SocketsHttpHandler()));
        var probe = new ReadinessProbe(http, new Uri(url + "/health"), TimeProvider.System);

        await probe.WaitUntilReadyAsync(CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(failures + 1, probe.Attempts);
        Assert.Equal($"connection failed (NotConnected) × {failures}", probe.OutcomeTotals);
    }

    /// <summary>Fails the first sends as the kernel's ENOTCONN reaches HttpClient's caller; then the real transport.</summary>
    private sealed class ResetFirst(int count, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private int _left = count;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Interlocked.Decrement(ref _left) >= 0
                ? throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.NotConnected)
                : base.SendAsync(request, cancellationToken);
    }

    [Fact]
    public void The_tally_reports_each_run_of_one_outcome_once()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        var tally = new HealthTally();
        var ended = new List<string?>();
        for (var i = 0; i < 3; i++)
        {
            ended.Add(tally.Record("connection refused", time.GetTimestamp(), time));
            time.Advance(TimeSpan.FromMilliseconds(100));
        }
        for (var i = 0; i < 15_495; i++)
        {
            ended.Add(tally.Record("HTTP 404", time.GetTimestamp(), time));
        }
        time.Advance(TimeSpan.FromSeconds(60));

        Assert.Equal(["connection refused × 3 in 0.3 s"], ended.OfType<string>());
        Assert.Equal("HTTP 404 × 15,495 in 60 s", tally.Flush(time.GetTimestamp(), time));
        Assert.Equal("connection refused × 3, HTTP 404 × 15,495", tally.Totals());
    }
}
