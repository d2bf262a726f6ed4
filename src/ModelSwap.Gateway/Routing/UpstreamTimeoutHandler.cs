using System.Net.Http.Headers;
using ModelSwap.Core.Configuration;

namespace ModelSwap.Gateway.Routing;

/// <summary>
/// Ends requests to a model server that stays silent: no response headers within timeouts.responseHeader
/// (or timeouts.idle, whichever is shorter) fails the send with <see cref="UpstreamTimeoutException"/>
/// (the client gets a 504); once the body flows, no byte for timeouts.idle ends it (see
/// <see cref="IdleTimeoutStream"/>). The clock starts when the request is sent.
/// </summary>
internal sealed class UpstreamTimeoutHandler(UpstreamTimeouts timeouts, TimeProvider time, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var (limit, isHeaderLimit) = HeaderLimit();
        HttpResponseMessage response;
        if (limit == TimeSpan.Zero)
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            using var timer = new CancellationTokenSource(limit, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
            try
            {
                response = await base.SendAsync(request, linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw isHeaderLimit ? UpstreamTimeoutException.Header(limit) : UpstreamTimeoutException.Idle(limit);
            }
        }
        if (timeouts.Idle > TimeSpan.Zero)
        {
            var isEventStream = response.Content.Headers.ContentType?.MediaType == "text/event-stream";
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            var wrapped = new StreamContent(new IdleTimeoutStream(stream, timeouts.Idle, time, isEventStream));
            foreach (var header in response.Content.Headers)
            {
                wrapped.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
            response.Content = wrapped;
        }
        return response;
    }

    private (TimeSpan Limit, bool IsHeaderLimit) HeaderLimit()
    {
        var header = timeouts.ResponseHeader;
        var idle = timeouts.Idle;
        if (header == TimeSpan.Zero)
        {
            return (idle, false);
        }
        return idle == TimeSpan.Zero || header <= idle ? (header, true) : (idle, false);
    }
}
