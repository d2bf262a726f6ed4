using System.CommandLine;
using System.Diagnostics;

namespace ModelSwap.Cli.Commands;

/// <summary>
/// `modelswap start`: runs `serve` in the background (options as for serve), waits until it answers,
/// records it in MODELSWAP_HOME; `stop` and `restart` use that record.
/// </summary>
internal static class StartCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config", "-c") { Description = "llama-swap compatible config.yaml (default: generate from the models folders)." };
        var listen = new Option<string>("--listen", "-l") { Description = "HOST:PORT to listen on.", DefaultValueFactory = _ => "127.0.0.1:8091" };
        var modelsDirs = new Option<string[]>("--models-dir") { Description = "Models folder (repeatable).", AllowMultipleArgumentsPerToken = false };
        var watch = new Option<bool>("--watch-config") { Description = "Reload the config file when it changes." };
        var demo = new Option<bool>("--demo") { Description = "Also serve tiny demo models (see `serve --demo`)." };
        var command = new Command("start", "Start the service in the background.") { config, listen, modelsDirs, watch, demo };
        command.SetAction(async (parse, ct) =>
        {
            var arguments = new List<string> { "--listen", parse.GetValue(listen)! };
            if (parse.GetValue(config) is { } file)
            {
                if (!file.Exists)
                {
                    Console.Error.WriteLine($"error: --config {file.FullName} does not exist");
                    return ExitCodes.InvalidInput;
                }
                arguments.AddRange(["--config", file.FullName]);
            }
            foreach (var dir in parse.GetValue(modelsDirs) ?? [])
            {
                arguments.AddRange(["--models-dir", Path.GetFullPath(dir)]);
            }
            if (parse.GetValue(watch))
            {
                arguments.Add("--watch-config");
            }
            if (parse.GetValue(demo))
            {
                arguments.Add("--demo");
            }
            return await StartAsync(ServiceHome.FromEnvironment(), arguments, ct).ConfigureAwait(false);
        });
        return command;
    }

    internal static async Task<int> StartAsync(ServiceHome home, IReadOnlyList<string> serveArguments, CancellationToken cancellationToken)
    {
        if (OperatingSystem.IsWindows())
        {
            Console.Error.WriteLine("error: `start` runs the service in the background on Linux and macOS; on Windows run `modelswap serve`");
            return ExitCodes.Failure;
        }
        // Two starts at once for one state dir: the second sees the lock and is refused.
        using var startLock = home.TryLock();
        if (startLock is null)
        {
            Console.Error.WriteLine($"error: another `modelswap start` for {home.Directory} is in progress");
            return ExitCodes.Failure;
        }
        if (home.Read() is { } existing && ServiceHome.IsModelSwap(existing.Pid))
        {
            Console.Error.WriteLine($"error: already running (pid {existing.Pid}) at {existing.Url}; `modelswap stop` or `modelswap restart` first");
            return ExitCodes.Failure;
        }
        var listenIndex = serveArguments.ToList().IndexOf("--listen");
        System.Net.IPEndPoint endpoint;
        try
        {
            endpoint = Gateway.Hosting.GatewayHostOptions.ParseListen(listenIndex >= 0 ? serveArguments[listenIndex + 1] : "127.0.0.1:8091");
        }
        catch (FormatException ex)
        {
            Console.Error.WriteLine($"error: --listen {ex.Message}");
            return ExitCodes.InvalidInput;
        }
        if (Service.PortHolder.WhyTaken(endpoint) is { } taken)
        {
            Console.Error.WriteLine($"error: {taken}");
            return ExitCodes.Failure;
        }
        var host = endpoint.Address.Equals(System.Net.IPAddress.Any) ? "127.0.0.1" : endpoint.Address.ToString();
        var url = $"http://{host}:{endpoint.Port}";
        var logStart = File.Exists(home.LogFile) ? new FileInfo(home.LogFile).Length : 0;
        var pid = DetachedService.Start(serveArguments, home.LogFile);
        home.Write(new ServiceHome.State(pid, url, [.. serveArguments], DateTimeOffset.UtcNow));

        using var client = ServiceOptions.Client(new Uri(url), TimeSpan.FromSeconds(2));
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < StartWait)
        {
            if (!ServiceHome.IsModelSwap(pid))
            {
                home.Clear();
                Console.Error.WriteLine($"error: {DetachedService.FailureReason(home.LogFile, logStart)} (log: {home.LogFile})");
                return ExitCodes.Failure;
            }
            if (await AnswersAsync(client, pid, cancellationToken).ConfigureAwait(false))
            {
                Console.Error.WriteLine($"started (pid {pid}) at {url}; log: {home.LogFile}");
                return ExitCodes.Ok;
            }
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
        // It never answered: do not leave a half-started service behind a failed start.
        await DetachedService.StopAsync(pid, TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
        home.Clear();
        Console.Error.WriteLine($"error: the service (pid {pid}) did not answer {url}/health within {StartWait.TotalSeconds:0} s and was stopped (log: {home.LogFile})");
        return ExitCodes.Failure;
    }

    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(120);

    /// <summary>True when /health answers 200 from this very process (not another server on the port).</summary>
    private static async Task<bool> AnswersAsync(HttpClient client, int pid, CancellationToken cancellationToken)
    {
        try
        {
            using var health = await client.GetAsync("/health", cancellationToken).ConfigureAwait(false);
            return health.IsSuccessStatusCode
                && health.Headers.TryGetValues(Gateway.Hosting.ServiceIdentity.PidHeader, out var values)
                && values.FirstOrDefault() == pid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }
}
