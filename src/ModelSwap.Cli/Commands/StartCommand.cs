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
        if (home.Read() is { } existing && ServiceHome.IsModelSwap(existing.Pid))
        {
            Console.Error.WriteLine($"already running (pid {existing.Pid}) at {existing.Url}");
            return ExitCodes.Ok;
        }
        var listenIndex = serveArguments.ToList().IndexOf("--listen");
        var endpoint = Gateway.Hosting.GatewayHostOptions.ParseListen(listenIndex >= 0 ? serveArguments[listenIndex + 1] : "127.0.0.1:8091");
        var host = endpoint.Address.Equals(System.Net.IPAddress.Any) ? "127.0.0.1" : endpoint.Address.ToString();
        var url = $"http://{host}:{endpoint.Port}";
        var pid = DetachedService.Start(serveArguments, home.LogFile);
        home.Write(new ServiceHome.State(pid, url, [.. serveArguments], DateTimeOffset.UtcNow));

        using var client = ServiceOptions.Client(new Uri(url), TimeSpan.FromSeconds(2));
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (!ServiceHome.IsModelSwap(pid))
            {
                home.Clear();
                Console.Error.WriteLine($"error: the service exited while starting; last lines of {home.LogFile}:");
                foreach (var line in DetachedService.LogTail(home.LogFile, 20))
                {
                    Console.Error.WriteLine("  " + line);
                }
                return ExitCodes.Failure;
            }
            try
            {
                using var health = await client.GetAsync("/health", cancellationToken).ConfigureAwait(false);
                if (health.IsSuccessStatusCode)
                {
                    Console.Error.WriteLine($"started (pid {pid}) at {url}; log: {home.LogFile}");
                    return ExitCodes.Ok;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }
        Console.Error.WriteLine($"error: the service (pid {pid}) did not answer {url}/health within 60 s; see {home.LogFile}");
        return ExitCodes.Failure;
    }
}
