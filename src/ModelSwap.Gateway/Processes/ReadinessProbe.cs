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

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private TaskCompletionSource _wake = NewWake();

    public ReadinessProbe(HttpClient http, Uri uri, TimeProvider time)
    {
        _http = http;
        Uri = uri;
        _time = time;
    }

    public Uri Uri { get; }

    public int Attempts { get; private set; }

    /// <summary>Asked before each attempt: null to go ahead, else why the port must not be probed.</summary>
    public Func<string?>? Guard { get; init; }

    /// <summary>What the last attempt saw, for the error message when the server never got ready.</summary>
    public string LastOutcome { get; private set; } = "no attempt yet";

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
    }

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
