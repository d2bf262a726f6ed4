using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace ModelSwap.Gateway.Activity;

/// <summary>
/// The registry of requests to models that have not ended yet (GET /api/requests, and the
/// dashboard's Activity page): each can be ended one by one (POST /api/requests/{id}/cancel), per
/// model (a swap that waited long enough), or all at once (shutdown).
/// </summary>
internal sealed class InFlightRequests(TimeProvider time, ActivityRecorder? recorder = null)
{
    private readonly ConcurrentDictionary<string, InFlightRequest> _requests = new(StringComparer.Ordinal);
    private long _next;
    private int _shuttingDown;
    private TaskCompletionSource _idle = Completed();

    /// <summary>True once shutdown began: new requests are refused.</summary>
    public bool IsShuttingDown => Volatile.Read(ref _shuttingDown) != 0;

    public int Count => _requests.Count;

    public InFlightRequest Register(HttpContext context, string model)
    {
        var id = "req-" + Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);
        var request = new InFlightRequest(this, id, model, context, time);
        lock (_requests)
        {
            if (_requests.IsEmpty)
            {
                _idle = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            _requests[id] = request;
        }
        Progressed(request);
        return request;
    }

    internal void Remove(InFlightRequest request)
    {
        lock (_requests)
        {
            if (_requests.TryRemove(new KeyValuePair<string, InFlightRequest>(request.Id, request)) && _requests.IsEmpty)
            {
                _idle.TrySetResult();
            }
        }
    }

    /// <summary>
    /// A request in flight arrived, was forwarded or generated more tokens (at most every
    /// <see cref="InFlightRequest.ProgressInterval"/>): /api/events publishes it, so pages follow the
    /// tokens so far without asking. Raised on the request's own thread; a handler must not block.
    /// </summary>
    public event Action<InFlightRequest>? Changed;

    internal void Progressed(InFlightRequest request) => Changed?.Invoke(request);

    /// <summary>A request ended: its row goes to the history (never failing or delaying the request).</summary>
    internal void Finished(InFlightRequest request) => recorder?.Record(request);

    /// <summary>Oldest first.</summary>
    public IReadOnlyList<InFlightRequest> Snapshot() => [.. _requests.Values.OrderBy(r => r.Started).ThenBy(r => r.Id, StringComparer.Ordinal)];

    /// <summary>Ends request <paramref name="id"/>; false when no such request is in flight.</summary>
    public bool TryEnd(string id, RequestEnd reason) => _requests.TryGetValue(id, out var request) && request.End(reason);

    /// <summary>Ends every request matching <paramref name="filter"/>; returns how many.</summary>
    public int EndWhere(Func<InFlightRequest, bool> filter, RequestEnd reason) =>
        _requests.Values.Where(filter).Count(r => r.End(reason));

    /// <summary>Shutdown begins: queued requests are answered at once, new ones refused; forwarded ones go on.</summary>
    public void BeginShutdown()
    {
        Interlocked.Exchange(ref _shuttingDown, 1);
        EndWhere(r => r.State == "queued", RequestEnd.ShuttingDown("the request was still waiting for its model"));
    }

    /// <summary>Completes when no request is in flight.</summary>
    public Task WhenIdle()
    {
        lock (_requests)
        {
            return _requests.IsEmpty ? Task.CompletedTask : _idle.Task;
        }
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.TrySetResult();
        return done;
    }
}
