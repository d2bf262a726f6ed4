using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ModelSwap.Core.Catalog;
using ModelSwap.Core.Configuration;
using ModelSwap.Dashboard.Hosting;
using ModelSwap.Gateway.Discovery;
using ModelSwap.Gateway.Hosting;

namespace ModelSwap.Cli.Commands;

/// <summary>`modelswap serve`: run the gateway until SIGTERM or Ctrl+C, then stop every model server.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config", "-c") { Description = "llama-swap compatible config.yaml to serve." };
        var listen = new Option<string>("--listen", "-l")
        {
            Description = "Address to listen on, HOST:PORT.",
            DefaultValueFactory = _ => $"127.0.0.1:{GatewayHostOptions.DefaultPort}",
        };
        var watch = new Option<bool>("--watch-config") { Description = "Reload the config file when it changes (SIGHUP always reloads)." };
        var modelsDirs = new Option<string[]>("--models-dir")
        {
            Description = "Without --config: a models folder to scan and watch (repeatable; default: $MODELSWAP_MODELS_DIR or ~/.clara/llama-models).",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        var poll = new Option<bool>("--poll") { Description = "Without --config: poll the models folders every second instead of using file system events." };
        var demo = new Option<bool>("--demo")
        {
            Description = "Without --config: also write a tiny demo chat model and a tiny embedding model into the models folder (when absent) and serve them; works offline. " +
                "Like every model they run on llama-server when one is found (PATH, next to modelswap, or models.yaml's settings.llamaServer), else on the built-in engine; " +
                "settings.llamaServer: engine in models.yaml forces the engine. The startup line says which.",
        };
        var grace = new Option<double>("--shutdown-grace")
        {
            Description = "On SIGTERM/Ctrl+C, seconds that requests in flight may take to finish before they are ended (default 10). A second signal ends at once.",
            DefaultValueFactory = _ => GatewayHostOptions.DefaultShutdownGrace.TotalSeconds,
        };
        var historyRows = new Option<string>("--history-rows")
        {
            Description = $"Requests kept in the history (MODELSWAP_HOME/activity.db), the oldest pruned first (default {Gateway.Activity.ActivityOptions.DefaultMaxRows}).",
        };
        var historyAge = new Option<string>("--history-age")
        {
            Description = $"How long requests stay in the history: a number with d, h, m or s, e.g. 30d, 12h (default {Gateway.Activity.ActivityOptions.DefaultMaxAge.TotalDays}d).",
        };
        var command = new Command("serve", "Run the OpenAI-compatible gateway.") { config, listen, watch, modelsDirs, poll, demo, grace, historyRows, historyAge };
        command.SetAction(async (parse, cancellationToken) =>
        {
            System.Net.IPEndPoint endpoint;
            try
            {
                endpoint = GatewayHostOptions.ParseListen(parse.GetValue(listen)!);
            }
            catch (FormatException ex)
            {
                Console.Error.WriteLine($"error: --listen {ex.Message}");
                return ExitCodes.InvalidInput;
            }
            if (parse.GetValue(grace) is var graceSeconds && (graceSeconds < 0 || double.IsNaN(graceSeconds) || graceSeconds > 86_400))
            {
                Console.Error.WriteLine($"error: --shutdown-grace must be from 0 to 86400 seconds, got {graceSeconds}");
                return ExitCodes.InvalidInput;
            }
            var shutdownGrace = TimeSpan.FromSeconds(parse.GetValue(grace));
            var history = Gateway.Activity.ActivityOptions.InHome(CatalogPaths.DefaultHome());
            try
            {
                history = history with
                {
                    MaxRows = parse.GetValue(historyRows) is { } rows ? Gateway.Activity.ActivityOptions.ParseMaxRows(rows) : history.MaxRows,
                };
            }
            catch (FormatException ex)
            {
                Console.Error.WriteLine($"error: --history-rows {ex.Message}");
                return ExitCodes.InvalidInput;
            }
            try
            {
                history = history with
                {
                    MaxAge = parse.GetValue(historyAge) is { } age ? Gateway.Activity.ActivityOptions.ParseMaxAge(age) : history.MaxAge,
                };
            }
            catch (FormatException ex)
            {
                Console.Error.WriteLine($"error: --history-age {ex.Message}");
                return ExitCodes.InvalidInput;
            }
            var configFile = parse.GetValue(config);
            if (configFile is not null && parse.GetValue(demo))
            {
                Console.Error.WriteLine("error: --demo serves generated models; leave out --config");
                return ExitCodes.InvalidInput;
            }
            if (configFile is null)
            {
                var discovery = DiscoveryArguments.Options(parse.GetValue(modelsDirs), Console.Error) is { } catalog
                    ? new DiscoveryOptions { Catalog = catalog, Polling = parse.GetValue(poll) }
                    : null;
                if (discovery is not null && parse.GetValue(demo))
                {
                    foreach (var path in DemoModels.Ensure(discovery.Catalog.ModelDirectories[0]))
                    {
                        Console.Error.WriteLine($"Wrote demo model {path}");
                    }
                }
                return discovery is null
                    ? ExitCodes.InvalidInput
                    : await ServeGeneratedAsync(discovery, endpoint, shutdownGrace, history, cancellationToken).ConfigureAwait(false);
            }
            if (parse.GetValue(modelsDirs) is { Length: > 0 })
            {
                Console.Error.WriteLine("warning: --models-dir is ignored with --config (the config file names the models)");
            }
            var loaded = ConfigLoader.LoadFile(configFile.FullName);
            foreach (var diagnostic in loaded.Diagnostics)
            {
                Console.Error.WriteLine(diagnostic.ToString());
            }
            if (!loaded.IsValid)
            {
                Console.Error.WriteLine($"error: {configFile.FullName} is not a valid configuration; nothing was started");
                return ExitCodes.InvalidInput;
            }
            var options = new GatewayHostOptions
            {
                Config = loaded.Config!,
                ConfigPath = configFile.FullName,
                WatchConfig = parse.GetValue(watch),
                Listen = endpoint,
                ShutdownGrace = shutdownGrace,
                Activity = history,
            };
            return await RunAsync(options, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>No --config: scan the models folders, write the generated config, serve it and keep it in step.</summary>
    private static async Task<int> ServeGeneratedAsync(DiscoveryOptions discovery, System.Net.IPEndPoint endpoint, TimeSpan shutdownGrace,
        Gateway.Activity.ActivityOptions history, CancellationToken cancellationToken)
    {
        var prepared = await DiscoveryStartup.PrepareAsync(discovery, endpoint, cancellationToken).ConfigureAwait(false);
        foreach (var warning in prepared.Generation.Warnings)
        {
            Console.Error.WriteLine($"warning: {warning}");
        }
        if (prepared.Options is null)
        {
            foreach (var error in prepared.Errors)
            {
                Console.Error.WriteLine(error);
            }
            Console.Error.WriteLine($"error: the config generated from the models folders is invalid ({prepared.Generation.OutputPath}); nothing was started");
            return ExitCodes.Failure;
        }
        var engine = prepared.Generation.LlamaServer is { } server
            ? $"llama-server {server.Path} ({server.Version}; {(server.HasGpu ? "GPU: " + string.Join(", ", server.GpuDevices) : "CPU build")})"
            : "the built-in engine";
        Console.Error.WriteLine($"Models from {string.Join(", ", discovery.Catalog.ModelDirectories)}: {prepared.Generation.Models.Count} found, " +
            $"served with {engine}; config {prepared.Generation.OutputPath}; " + SettingsNote(discovery.Catalog.OverridesPath));
        return await RunAsync(prepared.Options with { ShutdownGrace = shutdownGrace, Activity = history }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Names models.yaml only when it exists; otherwise says how to make one.</summary>
    internal static string SettingsNote(string overridesPath) => File.Exists(overridesPath)
        ? $"your settings: {overridesPath}"
        : $"no settings file yet: create {overridesPath} to set a model's context size, GPU layers, TTL or aliases (example in the README, \"Your settings: models.yaml\")";

    internal static async Task<int> RunAsync(GatewayHostOptions options, CancellationToken cancellationToken)
    {
        // A taken port is the common start failure: say who holds it, in one line, before building anything.
        if (Service.PortHolder.WhyTaken(options.Listen) is { } taken)
        {
            Console.Error.WriteLine($"error: cannot listen on {options.Listen}: {taken}");
            return ExitCodes.Failure;
        }
        // Under systemd (Type=notify): READY=1 once listening, STOPPING=1 on stop, journald log format.
        // Outside systemd AddSystemd does nothing.
        await using var app = GatewayHost.Build(options, services => services.AddSystemd().AddModelSwapDashboard());
        app.MapModelSwapDashboard();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            Console.Error.WriteLine($"error: cannot listen on {options.Listen}: {ex.Message}");
            return ExitCodes.Failure;
        }
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses;
        Console.Error.WriteLine($"ModelSwap listening on {string.Join(", ", addresses ?? [])} with {options.Config.Models.Count} models");
        // SIGTERM/Ctrl+C cancel the token (System.CommandLine); the host then answers waiting requests
        // 503, gives those in flight the grace period, and stops every model server. A second signal
        // ends at once (ImpatientSignals), the model servers killed all the same.
        using var impatient = Service.ImpatientSignals.Register();
        try
        {
            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or AggregateException)
        {
            // A hosted service overran the shutdown timeout; the models are still killed (reaper, parent-death signal).
            Console.Error.WriteLine($"warning: shutdown did not complete in time: {ex.Message}");
        }
        return ExitCodes.Ok;
    }
}
