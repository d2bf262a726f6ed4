// A stand-in model server for tests and benchmarks. It speaks enough of the OpenAI API to be proxied
// and has fault flags so tests can drive the gateway through late health, ignored SIGTERM and crashes.
//
//   --port N            port to listen on (127.0.0.1)
//   --name NAME         echoed back as "upstream" so tests can tell servers apart
//   --ready-delay MS    /health answers 503 until this many ms after start
//   --ignore-sigterm    keep running on SIGTERM (the gateway must SIGKILL it)
//   --crash-after MS    exit with code 70 this many ms after start
//   --spawn-child       start a grandchild `sleep` so process-tree kills can be tested
//   --spawn-detached-child  start a grandchild `setsid sleep` that leaves the process group/session
//   --alloc-mb N        allocate N MiB at start and write every page, so its resident memory is real
//   --api-key KEY       every route but /health wants `Authorization: Bearer KEY` (as llama-server's)
//   --chatty N          print N lines of 16 KB once listening (a model that floods its log)
//   --fail-bind-once FILE  the first start (FILE absent) creates FILE and dies with a bind error
//   --count-body        chats answer the body's size and head, read without parsing (for 100 MB bodies)
//
// It prints "fake upstream NAME listening" once the port accepts connections (as real servers log
// when they are up), and GET /fake/ready-at answers the wall-clock moment /health first could
// answer 200 and the moment it first did (unix ms), so readiness-detection latency can be
// measured from outside.
//
// POST /fake/exit?code=N makes it exit at once with code N (default 70).
// Requests may set "fake_chunks" (stream chunk count, default 3) and "fake_chunk_delay_ms"
// (delay before each chunk) and "echo_env" (names of environment variables to echo); "fake_hang"
// never answers (with "fake_hang_after_chunks": N, a stream falls silent after N chunks);
// "fake_summary": true echoes each long top-level string of the body as its length only.
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using ModelSwap.FakeUpstream;

var options = FakeOptions.Parse(args);
var started = Stopwatch.StartNew();
var startedUtc = DateTime.UtcNow;
DateTime? listeningUtc = null;
Console.Out.WriteLine($"fake upstream {options.Name} starting on port {options.Port} pid {Environment.ProcessId}");
Console.Out.Flush();

if (options.FailBindOnce is { } marker && !File.Exists(marker))
{
    // What llama-server prints when its port is taken (it then exits with 1).
    File.WriteAllText(marker, options.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
    Console.Error.WriteLine($"start: couldn't bind HTTP server socket, hostname: 127.0.0.1, port: {options.Port}");
    Console.Error.WriteLine("error: address already in use");
    Console.Error.Flush();
    Environment.Exit(1);
}

// Held until exit: written page by page so the kernel really backs it (untouched memory is not resident).
byte[]? ballast = null;
if (options.AllocMb > 0)
{
    ballast = GC.AllocateUninitializedArray<byte>(options.AllocMb * 1024 * 1024, pinned: true);
    for (var i = 0; i < ballast.Length; i += 4096)
    {
        ballast[i] = 1;
    }
}

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls($"http://127.0.0.1:{options.Port}");
// Bodies as big as the gateway lets through (its own limit is what tests exercise, not Kestrel's 30 MB default).
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);
PosixSignalRegistration? ignoreTerm = null;
if (options.IgnoreSigterm)
{
    // Replace the host's SIGTERM handling with nothing, and cancel the runtime's default exit.
    builder.Services.AddSingleton<IHostLifetime, IgnoreSignalsLifetime>();
    ignoreTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
    {
        context.Cancel = true;
        Console.Out.WriteLine("fake upstream ignoring SIGTERM");
        Console.Out.Flush();
    });
}
var app = builder.Build();

if (options.CrashAfter is { } crashAfter)
{
    _ = Task.Run(async () =>
    {
        await Task.Delay(crashAfter);
        Console.Error.WriteLine($"fake upstream {options.Name} crashing as asked (--crash-after)");
        Console.Error.Flush();
        Environment.Exit(70);
    });
}
if (options.SpawnChild)
{
    var child = Process.Start(new ProcessStartInfo("sleep", "3600") { UseShellExecute = false });
    Console.Out.WriteLine($"fake upstream child pid {child?.Id}");
    Console.Out.Flush();
}
if (options.SpawnDetachedChild)
{
    // Not a group leader, so setsid execs in place: the pid printed is the sleep's own pid.
    var child = Process.Start(new ProcessStartInfo("setsid", "sleep 3600") { UseShellExecute = false });
    Console.Out.WriteLine($"fake upstream detached child pid {child?.Id}");
    Console.Out.Flush();
}
app.Lifetime.ApplicationStarted.Register(() =>
{
    listeningUtc = DateTime.UtcNow;
    Console.Out.WriteLine($"fake upstream {options.Name} listening");
    Console.Out.Flush();
    if (options.ChattyLines > 0)
    {
        var line = new string('x', 16 * 1024);
        for (var i = 0; i < options.ChattyLines; i++)
        {
            Console.Out.WriteLine(line);
        }
        Console.Out.WriteLine($"fake upstream {options.Name} chatted {options.ChattyLines} lines");
        Console.Out.Flush();
    }
});
if (options.ApiKey is { } requiredKey)
{
    app.Use((context, next) =>
    {
        if (context.Request.Path == "/health" || context.Request.Headers.Authorization.ToString() == "Bearer " + requiredKey)
        {
            return next(context);
        }
        context.Response.StatusCode = 401;
        return context.Response.WriteAsync("""{"error":{"message":"Invalid API Key","type":"authentication_error","code":401}}""");
    });
}

bool IsReady() => started.Elapsed >= options.ReadyDelay;

// One code path for 503 and 200, with bodies made up front: the first 200 costs no more than the
// 503s before it, so readiness latency measured from outside is the prober's, not our JIT's.
const string HealthOk = """{"status":"ok"}""";
const string HealthLoading = """{"error":{"message":"Loading model","type":"unavailable_error","code":503}}""";
DateTime? firstOkUtc = null;
app.MapGet("/health", (HttpContext context) =>
{
    var ready = IsReady();
    if (ready && firstOkUtc is null)
    {
        firstOkUtc = DateTime.UtcNow;
    }
    context.Response.StatusCode = ready ? 200 : 503;
    context.Response.ContentType = "application/json";
    return context.Response.WriteAsync(ready ? HealthOk : HealthLoading);
});

app.MapGet("/fake/ready-at", () =>
{
    var readyAt = startedUtc + options.ReadyDelay;
    if (listeningUtc is { } listening && listening > readyAt)
    {
        readyAt = listening;
    }
    return Results.Json(new
    {
        ready_at_unix_ms = (readyAt - DateTime.UnixEpoch).TotalMilliseconds,
        first_ok_unix_ms = firstOkUtc is { } ok ? (ok - DateTime.UnixEpoch).TotalMilliseconds : (double?)null,
    });
});

// Crash on demand, for tests that need a server to die at a known moment after it is ready.
app.MapPost("/fake/exit", (int? code) =>
{
    var exitCode = code ?? 70;
    Console.Error.WriteLine($"fake upstream {options.Name} exiting with code {exitCode} as asked (/fake/exit)");
    Console.Error.Flush();
    Environment.Exit(exitCode);
});

app.MapGet("/v1/models", () => Results.Json(new
{
    @object = "list",
    data = new[] { new { id = options.Name, @object = "model", owned_by = "fake" } },
}));

app.MapPost("/v1/chat/completions", (HttpContext context) => FakeResponses.ChatAsync(context, options));
app.MapPost("/v1/completions", (HttpContext context) => FakeResponses.ChatAsync(context, options));
app.MapPost("/v1/embeddings", (HttpContext context) => FakeResponses.EmbeddingsAsync(context, options));
// An error with an empty body, so tests can check that upstream errors pass through untouched.
app.MapGet("/fake/status/{code:int}", (int code) => Results.StatusCode(code));
app.Map("/{**path}", (HttpContext context) => FakeResponses.EchoAsync(context, options));

await app.RunAsync();
GC.KeepAlive(ignoreTerm);
GC.KeepAlive(ballast);
