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

    internal InFlightRequest(InFlightRequests owner, string id, string model, HttpContext context, DateTimeOffset started)
    {
        _owner = owner;
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
        State = "forwarding";
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
        _cancel.Dispose();
    }
}
