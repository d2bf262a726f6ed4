namespace ModelSwap.Gateway.Routing;

/// <summary>A model server stayed silent past one of its timeouts (timeouts.idle or timeouts.responseHeader).</summary>
internal sealed class UpstreamTimeoutException(string message, string code) : IOException(message)
{
    /// <summary>The error code of the envelope: upstream_idle_timeout or upstream_header_timeout.</summary>
    public string Code { get; } = code;

    public static UpstreamTimeoutException Idle(TimeSpan idle) => new(
        $"no data from the model server for {idle.TotalSeconds:0.#} s (timeouts.idle); the request was ended", "upstream_idle_timeout");

    public static UpstreamTimeoutException Header(TimeSpan limit) => new(
        $"no response headers from the model server within {limit.TotalSeconds:0.#} s (timeouts.responseHeader)", "upstream_header_timeout");

    /// <summary>The timeout in <paramref name="exception"/> or its inner exceptions, if any.</summary>
    public static UpstreamTimeoutException? Find(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is UpstreamTimeoutException timeout)
            {
                return timeout;
            }
        }
        return null;
    }
}
