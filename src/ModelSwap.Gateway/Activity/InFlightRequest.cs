using Microsoft.AspNetCore.Http;

namespace ModelSwap.Gateway.Activity;

/// <summary>
/// One request to a model, from its arrival until its response ended: queued for the model, then
/// forwarded. Ending it (<see cref="End"/>) cancels its wait or its forwarding; the forwarder then
/// answers the client with <see cref="EndReason"/> when it still can.
/// </summary>
internal sealed class InFlightRequest : IDisposable
{
    private readonly InFlightRequests _owner;
    private readonly CancellationTokenSource _cancel;
    private RequestEnd? _end;

    private readonly TimeProvider _time;
    private long _progressedAt;
    private int _progressedTokens;

    /// <summary>How often, at most, a request's tokens so far are published while it streams.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);

    internal InFlightRequest(InFlightRequests owner, string id, string model, HttpContext context, TimeProvider time)
    {
        _owner = owner;
        _time = time;
        var started = time.GetUtcNow();
        Context = context;
        UserAgent = context.Request.Headers.UserAgent.ToString() is { Length: > 0 } agent ? agent[..Math.Min(agent.Length, 256)] : null;
        Response = new ResponseObserver(time);
        Id = id;
        Model = model;
        Client = context.Connection.RemoteIpAddress is { } ip ? $"{ip}:{context.Connection.RemotePort}" : "unknown";
        Route = $"{context.Request.Method} {context.Request.Path}";
        Started = started;
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
    }

    public string Id { get; }
    public string Model { get; }
    public string Client { get; }
    public string Route { get; }
    public DateTimeOffset Started { get; }
    public string? UserAgent { get; }

    /// <summary>When the model was ready and forwarding began.</summary>
    public DateTimeOffset? Forwarded { get; private set; }

    /// <summary>Tokens generated so far: the upstream's count once it sent one, else the streamed pieces counted.</summary>
    public int TokensSoFar => Response.Facts.GeneratedTokens ?? 0;

    internal HttpContext Context { get; }

    /// <summary>The answer as it passes (facts for the history).</summary>
    internal ResponseObserver Response { get; }

    /// <summary>The head of the request body (for the history's viewer).</summary>
    internal RequestExcerpt RequestBody { get; set; } = new();

    /// <summary>Why the request failed, when ModelSwap knows better than the status code.</summary>
    internal string? Failure { get; set; }

    /// <summary>
    /// Shows the request's body and its answer to the observers as they pass (the history reads its
    /// facts from them); call once the request body is in its final place.
    /// </summary>
    internal void ObserveBodies()
    {
        Context.Request.Body = new ObservedStream(Context.Request.Body, RequestBody.Observe);
        Context.Response.Body = new ObservedStream(Context.Response.Body, bytes =>
        {
            Response.Start(Context.Response.ContentType);
            Response.Observe(bytes);
            Observed();
        });
    }

    /// <summary>Shows a piece of the upstream's answer to the observer (a route that reads the answer itself, as Ollama's do).</summary>
    internal void ObserveAnswer(ReadOnlySpan<byte> bytes)
    {
        Response.Observe(bytes);
        Observed();
    }

    /// <summary>
    /// After a piece of the answer was read: when it brought new tokens, the registry hears of it, at most
    /// once per <see cref="ProgressInterval"/> (the first token at once). Runs on the one thread that
    /// observes the answer; the count itself is read from the observer, nothing is buffered.
    /// </summary>
    private void Observed()
    {
        var tokens = TokensSoFar;
        if (tokens == _progressedTokens)
        {
            return;
        }
        var now = _time.GetTimestamp();
        if (_progressedAt != 0 && _time.GetElapsedTime(_progressedAt, now) < ProgressInterval)
        {
            return;
        }
        _progressedAt = now;
        _progressedTokens = tokens;
        _owner.Progressed(this);
    }

    /// <summary>"queued" until the model is ready for it, then "forwarding".</summary>
    public string State { get; private set; } = "queued";

    /// <summary>The model server's pid once forwarding.</summary>
    public int? Pid { get; private set; }

    /// <summary>Fires when the client leaves or the request is ended.</summary>
    public CancellationToken Token => _cancel.Token;

    /// <summary>Why ModelSwap ended the request; null when it did not.</summary>
    public RequestEnd? EndReason => Volatile.Read(ref _end);

    public void MarkForwarding(int? pid)
    {
        Pid = pid;
        Forwarded = _time.GetUtcNow();
        State = "forwarding";
        _owner.Progressed(this);
    }

    /// <summary>Ends the request (the first reason wins); false when it had already been ended.</summary>
    public bool End(RequestEnd reason)
    {
        if (Interlocked.CompareExchange(ref _end, reason, null) is not null)
        {
            return false;
        }
        try
        {
            _cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }
        return true;
    }

    public void Dispose()
    {
        _owner.Remove(this);
        _owner.Finished(this);
        _cancel.Dispose();
    }
}
