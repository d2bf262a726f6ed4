using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;

namespace ModelSwap.Hub.HuggingFace;

/// <summary>
/// The one HTTP path to the Hub: retries 429/5xx with backoff (Retry-After honoured) and follows
/// redirects by hand so the token goes only to the Hub's own host. Automatic redirects would carry
/// Authorization to a CDN on another host, or (in .NET) drop it even on the same host.
/// </summary>
internal sealed partial class HubHttp : IDisposable
{
    private const int MaxRedirects = 10;
    private readonly HttpClient _client;
    private readonly bool _ownsClient;
    private readonly ILogger _logger;

    public HubHttp(HubOptions options, ILogger? logger = null, HttpMessageHandler? innerHandler = null)
    {
        Options = options;
        _logger = logger ?? NullLogger.Instance;
        var transport = innerHandler ?? new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(30),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        var retry = new HttpRetryStrategyOptions
        {
            MaxRetryAttempts = Math.Max(1, options.MaxRetryAttempts),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.RetryBaseDelay,
            MaxDelay = TimeSpan.FromSeconds(60),
            ShouldRetryAfterHeader = true,
            OnRetry = args =>
            {
                var status = args.Outcome.Result is { } response ? (int)response.StatusCode : 0;
                LogRetry(_logger, status, args.AttemptNumber + 1, args.RetryDelay);
                return default;
            },
        };
        // Polly refuses zero attempts; no retries is simply no retry strategy.
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        var pipeline = (options.MaxRetryAttempts > 0 ? builder.AddRetry(retry) : builder).Build();
        _client = new HttpClient(new ResilienceHandler(pipeline) { InnerHandler = transport })
        {
            // Downloads stream for hours; API calls bound themselves with Options.ApiTimeout.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("modelswap/1.0");
        _ownsClient = true;
    }

    public HubOptions Options { get; }

    /// <summary>
    /// Sends GET (headers only read) following 301/302/303/307/308. <paramref name="configure"/> adds
    /// headers such as Range to every hop. The token is attached only when the hop's host and port
    /// are the endpoint's; so it is dropped when a redirect leaves for another host.
    /// </summary>
    public async Task<HubResponse> GetAsync(Uri uri, Action<HttpRequestMessage>? configure, CancellationToken ct)
    {
        var trail = new RedirectTrail();
        var current = uri;
        for (var hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            configure?.Invoke(request);
            var tokenSent = false;
            if (Options.Token is { } token && SameOrigin(current, Options.Endpoint))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                tokenSent = true;
            }
            var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            trail.Observe(response);
            if (!IsRedirect(response.StatusCode))
            {
                return new HubResponse(response, current, tokenSent, trail);
            }
            var location = response.Headers.Location;
            response.Dispose();
            if (location is null)
            {
                throw new HubException($"The server answered a redirect without a Location header for {Describe(current)}.", (int)response.StatusCode);
            }
            if (hop >= MaxRedirects)
            {
                throw new HubException($"Too many redirects (more than {MaxRedirects}) for {Describe(uri)}.");
            }
            var next = location.IsAbsoluteUri ? location : new Uri(current, location);
            if (next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps)
            {
                throw new HubException($"Refusing a redirect to a non-HTTP URL from {Describe(current)}.");
            }
            if (current.Scheme == Uri.UriSchemeHttps && next.Scheme == Uri.UriSchemeHttp && !next.IsLoopback)
            {
                throw new HubException($"Refusing a redirect from HTTPS to plain HTTP ({Describe(current)} -> {Describe(next)}).");
            }
            LogRedirect(_logger, (int)response.StatusCode, current.Authority, next.Authority);
            current = next;
        }
    }

    public static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;

    /// <summary>Scheme, host and path only: signed CDN URLs carry credentials in the query string.</summary>
    public static string Describe(Uri uri) => uri.GetLeftPart(UriPartial.Path);

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently
        or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    public void Dispose()
    {
        if (_ownsClient)
        {
            _client.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Hub answered {Status}; retry {Attempt} in {Delay}")]
    private static partial void LogRetry(ILogger logger, int status, int attempt, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Redirect {Status} from {FromHost} to {ToHost}")]
    private static partial void LogRedirect(ILogger logger, int status, string fromHost, string toHost);
}
