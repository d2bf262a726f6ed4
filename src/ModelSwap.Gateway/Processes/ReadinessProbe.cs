using System.Net;
using ModelSwap.Core.Configuration;

namespace ModelSwap.Gateway.Processes;

/// <summary>
/// Polls a model server's health URL until it answers 200. An attempt is cheap on loopback (a
/// refused connect or a 503 costs a fraction of a millisecond), so it polls every 2 ms at first and
/// backs off in proportion to the time already spent (1/50 of it) up to 10 ms: readiness is noticed
/// within 10 ms however long the load takes, at no more than 100 requests a second. Every line the
/// server prints also triggers an attempt at once, since servers log when they start listening.
/// llama-swap, for comparison, waits 250 ms and then polls once a second.
/// </summary>
internal sealed class ReadinessProbe
{
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(2);
    public static readonly TimeSpan MaxInterval = TimeSpan.FromMilliseconds(10);
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(1);

    /// <summary>The slowest poll once the server answers but not with 200 (a wrong checkEndpoint): no flood of its log.</summary>
    public static readonly TimeSpan AnsweredWrongInterval = TimeSpan.FromMilliseconds(250);

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly HealthTally _tally = new();
    private readonly Action<string>? _report;
    private TaskCompletionSource _wake = NewWake();

    /// <param name="report">Receives one line per distinct run of failed outcomes ("HTTP 404 × 120 in 30 s").</param>
    public ReadinessProbe(HttpClient http, Uri uri, TimeProvider time, Action<string>? report = null)
    {
        _http = http;
        Uri = uri;
        _time = time;
        _report = report;
    }

    public Uri Uri { get; }

    public int Attempts { get; private set; }

    /// <summary>Asked before each attempt: null to go ahead, else why the port must not be probed.</summary>
    public Func<string?>? Guard { get; init; }

    /// <summary>What the last attempt saw, for the error message when the server never got ready.</summary>
    public string LastOutcome { get; private set; } = "no attempt yet";

    /// <summary>Every outcome with its count, for the error message: "connection refused × 3, HTTP 404 × 15,495".</summary>
    public string OutcomeTotals => _tally.Totals();

    /// <summary>Reports the run of outcomes in progress (the probe ended: ready, failed or cancelled).</summary>
    public void ReportLast()
    {
        if (_tally.Flush(_time.GetTimestamp(), _time) is { } summary)
        {
            _report?.Invoke(summary);
        }
    }

    /// <summary>The server did something (printed a line): check again now rather than at the next tick.</summary>
    public void Nudge() => Interlocked.Exchange(ref _wake, NewWake()).TrySetResult();

    /// <summary>The URL polled for a model: its proxy joined with its checkEndpoint.</summary>
    public static Uri HealthUri(ModelConfig model)
    {
        var endpoint = model.CheckEndpoint ?? "/";
        return new Uri(model.Proxy.AbsoluteUri.TrimEnd('/') + "/" + endpoint.TrimStart('/'));
    }

    /// <summary>The wait before the next attempt, given how long the start has taken so far.</summary>
    public static TimeSpan IntervalAfter(TimeSpan elapsed)
    {
        var interval = elapsed / 50;
        return interval < MinInterval ? MinInterval : interval > MaxInterval ? MaxInterval : interval;
    }

    /// <summary>Returns at the first 200; throws OperationCanceledException when cancelled.</summary>
    public async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // Taken before the attempt so a line printed during it still wakes the next one.
            var wake = Volatile.Read(ref _wake).Task;
            var attemptStarted = _time.GetTimestamp();
            if (await AttemptAsync(cancellationToken).ConfigureAwait(false))
            {
                return;
            }
            var interval = IntervalAfter(_time.GetElapsedTime(started));
            if (LastOutcome.StartsWith("HTTP ", StringComparison.Ordinal) && LastOutcome != "HTTP 503")
            {
                // It listens but answers something other than "loading" (503) or "ready" (200): likely a
                // wrong checkEndpoint. Polling fast would only fill its log; keep checking, slowly.
                interval = AnsweredWrongInterval;
            }
            using var tick = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(interval, _time, tick.Token);
            if (await Task.WhenAny(delay, wake).ConfigureAwait(false) == wake)
            {
                // A burst of output must not turn into a burst of requests: keep a minimum gap.
                var gap = MinInterval - _time.GetElapsedTime(attemptStarted);
                if (gap > TimeSpan.Zero)
                {
                    await Task.Delay(gap, _time, cancellationToken).ConfigureAwait(false);
                }
            }
            await tick.CancelAsync().ConfigureAwait(false);
        }
    }

    private async Task<bool> AttemptAsync(CancellationToken cancellationToken)
    {
        var ready = await AttemptCoreAsync(cancellationToken).ConfigureAwait(false);
        if (!ready && _tally.Record(LastOutcome, _time.GetTimestamp(), _time) is { } ended)
        {
            _report?.Invoke(ended);
        }
        return ready;
    }

    private async Task<bool> AttemptCoreAsync(CancellationToken cancellationToken)
    {
        Attempts++;
        if (Guard?.Invoke() is { } refusal)
        {
            LastOutcome = refusal;
            return false;
        }
        using var timeout = new CancellationTokenSource(AttemptTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, Uri);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            LastOutcome = $"HTTP {(int)response.StatusCode}";
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LastOutcome = $"no answer within {AttemptTimeout.TotalSeconds:0.#} s";
            return false;
        }
        catch (HttpRequestException e)
        {
            LastOutcome = e.HttpRequestError == HttpRequestError.ConnectionError ? "connection refused" : e.Message;
            return false;
        }
        catch (System.Net.Sockets.SocketException e)
        {
            // SocketsHttpHandler lets one connect failure out unwrapped: a connection reset before it
            // reads the peer's address (ENOTCONN, "Transport endpoint is not connected"). It happens
            // while a server starts (a socket bound but not yet accepting, or a connect to a port
            // nobody listens on yet that lands on its own source port), more often the slower the
            // start. It means "not ready yet", like a refused connect; escaping, it failed the start.
            LastOutcome = "connection failed (" + e.SocketErrorCode + ")";
            return false;
        }
        catch (IOException e)
        {
            LastOutcome = "connection failed: " + e.Message;
            return false;
        }
    }

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
