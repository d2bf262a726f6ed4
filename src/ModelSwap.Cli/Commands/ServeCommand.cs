using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ModelSwap.Core.Configuration;
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
        var command = new Command("serve", "Run the OpenAI-compatible gateway.") { config, listen, watch };
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
            var configFile = parse.GetValue(config);
            if (configFile is null)
            {
                Console.Error.WriteLine("error: --config FILE is required (a llama-swap compatible config.yaml)");
                return ExitCodes.InvalidInput;
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
            };
            return await RunAsync(options, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    internal static async Task<int> RunAsync(GatewayHostOptions options, CancellationToken cancellationToken)
    {
        await using var app = GatewayHost.Build(options);
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
        // SIGTERM/Ctrl+C cancel the token (System.CommandLine); the host then stops every model server.
        await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}
