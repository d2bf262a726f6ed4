using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ModelSwap.Testing.HuggingFace;

/// <summary>
/// A local Hugging-Face-compatible server for tests and benchmarks: /api/models (search),
/// /api/models/{repo}/tree/{rev} (file list) and /{repo}/resolve/{rev}/{path} (Range-capable files),
/// with the real API's field names and headers. A second Kestrel instance plays the CDN on another
/// host:port. Fault knobs: drop the connection at a byte, fail with a status N times, redirect to the
/// CDN, require a token, serve corrupted bytes, ignore Range, hold a download mid-way.
/// </summary>
public sealed class HuggingFaceMirror : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, MirrorRepo> _repos = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<MirrorRequest> _requests = new();
    private readonly ConcurrentQueue<Fault> _faults = new();
    private readonly ConcurrentDictionary<string, (long Offset, int Times, bool Abort)> _drops = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, MirrorHold> _holds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _corrupt = new(StringComparer.Ordinal);
    private WebApplication? _primary;
    private WebApplication? _cdn;

    private HuggingFaceMirror()
    {
    }

    /// <summary>Base URL to use as HF_ENDPOINT (ends with '/').</summary>
    public Uri Endpoint { get; private set; } = null!;

    /// <summary>The second host that resolve redirects to when <see cref="RedirectResolveToCdn"/> is on.</summary>
    public Uri CdnEndpoint { get; private set; } = null!;

    /// <summary>Answer resolve with 307 to the CDN host (like the Hub does for LFS files).</summary>
    public bool RedirectResolveToCdn { get; set; }

    /// <summary>Answer Range requests with 200 and the whole file, like a server without range support.</summary>
    public bool IgnoreRange { get; set; }

    /// <summary>Entries per tree page before a Link: rel="next" header (the Hub pages long listings).</summary>
    public int TreePageSize { get; set; } = 1000;

    public IReadOnlyList<MirrorRequest> Requests => _requests.ToArray();

    public static async Task<HuggingFaceMirror> StartAsync()
    {
        var mirror = new HuggingFaceMirror();
        mirror._primary = await StartServerAsync(mirror.MapPrimary).ConfigureAwait(false);
        mirror._cdn = await StartServerAsync(mirror.MapCdn).ConfigureAwait(false);
        mirror.Endpoint = new Uri(Address(mirror._primary) + "/");
        mirror.CdnEndpoint = new Uri(Address(mirror._cdn) + "/");
        return mirror;
    }

    public MirrorRepo AddRepo(string id, Action<MirrorRepo>? configure = null)
    {
        var repo = _repos.GetOrAdd(id, i => new MirrorRepo(i));
        configure?.Invoke(repo);
        return repo;
    }

    /// <summary>A plain Range-capable URL of a repo file (no auth, no redirect), for tools such as curl.</summary>
    public Uri FileUrl(string repo, string path) => new(Endpoint, $"files/{repo}/{path}");

    public MirrorRepo? FindRepo(string id) => _repos.TryGetValue(id, out var repo) ? repo : null;

    internal IEnumerable<MirrorRepo> AllRepos() => _repos.Values;

    public void ClearRequests() => _requests.Clear();

    /// <summary>The next <paramref name="count"/> requests whose path contains <paramref name="pathContains"/> get <paramref name="status"/>.</summary>
    public void FailNext(int status, int count = 1, string pathContains = "", TimeSpan? retryAfter = null)
    {
        for (var i = 0; i < count; i++)
        {
            _faults.Enqueue(new Fault(status, pathContains, retryAfter));
        }
    }

    /// <summary>
    /// Cuts the file short at byte <paramref name="offset"/> (absolute in the file), <paramref name="times"/> times.
    /// By default the body ends cleanly there (chunked, no Content-Length), so the client sees exactly that many
    /// bytes; with <paramref name="abort"/> the connection is reset mid-body (Content-Length promised), and
    /// bytes in flight may be lost, as on a real network.
    /// </summary>
    public void DropConnectionAt(string repo, string path, long offset, int times = 1, bool abort = false) =>
        _drops[Key(repo, path)] = (offset, times, abort);

    /// <summary>
    /// Pauses the next download of the file when it reaches <paramref name="offset"/>; with
    /// <paramref name="untilReleased"/>, every download that reaches it (a client that gives up on the
    /// stalled body and resumes is held again), so a test acting mid-download is never raced by a retry.
    /// </summary>
    public MirrorHold HoldAt(string repo, string path, long offset, bool untilReleased = false)
    {
        var hold = new MirrorHold(repo, path, offset, untilReleased);
        _holds[Key(repo, path)] = hold;
        return hold;
    }

    /// <summary>Serve the file with one byte flipped (same size, wrong sha256).</summary>
    public void Corrupt(string repo, string path, bool corrupt = true) => _corrupt[Key(repo, path)] = corrupt;

    public async ValueTask DisposeAsync()
    {
        foreach (var holdToRelease in _holds.Values)
        {
            holdToRelease.Release();
        }
        foreach (var app in new[] { _primary, _cdn })
        {
            if (app is not null)
            {
                await app.StopAsync().ConfigureAwait(false);
                await app.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    internal static string Key(string repo, string path) => repo + "\n" + path;

    private static async Task<WebApplication> StartServerAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        map(app);
        await app.StartAsync().ConfigureAwait(false);
        return app;
    }

    private static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');

    private void MapPrimary(WebApplication app)
    {
        app.Use(RecordAndFaultAsync);
        var endpoints = new MirrorEndpoints(this);
        app.MapGet("/api/models", endpoints.Search);
        app.MapGet("/api/models/{owner}/{name}/tree/{revision}", endpoints.Tree);
        app.MapGet("/{owner}/{name}/resolve/{revision}/{**path}", endpoints.Resolve);
        app.MapGet("/files/{owner}/{name}/{**path}", endpoints.PlainFile);
    }

    private void MapCdn(WebApplication app)
    {
        app.Use(RecordAndFaultAsync);
        var endpoints = new MirrorEndpoints(this);
        app.MapGet("/cdn/{owner}/{name}/{revision}/{**path}", endpoints.Cdn);
    }

    private async Task RecordAndFaultAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        _requests.Enqueue(new MirrorRequest(
            request.Host.Value ?? "", request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "",
            request.Headers.Authorization.FirstOrDefault(), request.Headers.Range.FirstOrDefault()));
        if (TakeFault(request.Path.Value ?? "") is { } fault)
        {
            context.Response.StatusCode = fault.Status;
            if (fault.RetryAfter is { } after)
            {
                context.Response.Headers.RetryAfter = ((int)after.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            await context.Response.WriteAsync($"injected failure {fault.Status}").ConfigureAwait(false);
            return;
        }
        await next(context).ConfigureAwait(false);
    }

    private Fault? TakeFault(string path)
    {
        // Faults are consumed in order, and only by requests they apply to.
        lock (_faults)
        {
            var all = _faults.ToArray();
            var index = Array.FindIndex(all, f => path.Contains(f.PathContains, StringComparison.Ordinal));
            if (index < 0)
            {
                return null;
            }
            _faults.Clear();
            for (var i = 0; i < all.Length; i++)
            {
                if (i != index)
                {
                    _faults.Enqueue(all[i]);
                }
            }
            return all[index];
        }
    }

    internal (long Offset, bool Abort)? TakeDrop(string repo, string path)
    {
        var key = Key(repo, path);
        while (_drops.TryGetValue(key, out var drop))
        {
            var taken = drop.Times <= 1
                ? _drops.TryRemove(new KeyValuePair<string, (long, int, bool)>(key, drop))
                : _drops.TryUpdate(key, (drop.Offset, drop.Times - 1, drop.Abort), drop);
            if (taken)
            {
                return (drop.Offset, drop.Abort);
            }
        }
        return null;
    }

    internal MirrorHold? TakeHold(string repo, string path)
    {
        var key = Key(repo, path);
        if (_holds.TryGetValue(key, out var kept) && kept.UntilReleased && !kept.IsReleased)
        {
            return kept;
        }
        return _holds.TryRemove(key, out var hold) && !(hold.UntilReleased && hold.IsReleased) ? hold : null;
    }

    internal bool IsCorrupt(string repo, string path) => _corrupt.TryGetValue(Key(repo, path), out var corrupt) && corrupt;

    private sealed record Fault(int Status, string PathContains, TimeSpan? RetryAfter);
}
