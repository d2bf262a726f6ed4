using System.CommandLine;
using ModelSwap.Cli.Service;

namespace ModelSwap.Cli.Commands;

/// <summary>`modelswap service install|uninstall --user`: run ModelSwap at login as a systemd user service.</summary>
internal static class ServiceCommand
{
    public static Command Create()
    {
        var command = new Command("service", "Install or remove ModelSwap as a systemd user service (starts at login).");
        command.Subcommands.Add(Install());
        command.Subcommands.Add(Uninstall());
        return command;
    }

    private static Option<bool> User() => new("--user") { Description = "A user service (~/.config/systemd/user); the only kind supported." };

    private static Command Install()
    {
        var user = User();
        var config = new Option<FileInfo?>("--config", "-c") { Description = "llama-swap compatible config.yaml (default: generate from the models folders)." };
        var listen = new Option<string>("--listen", "-l") { Description = "HOST:PORT to listen on.", DefaultValueFactory = _ => "127.0.0.1:8091" };
        var modelsDirs = new Option<string[]>("--models-dir") { Description = "Models folder (repeatable).", AllowMultipleArgumentsPerToken = false };
        var watch = new Option<bool>("--watch-config") { Description = "Reload the config file when it changes." };
        var command = new Command("install", "Write the systemd user unit modelswap.service (serve with these options).") { user, config, listen, modelsDirs, watch };
        command.SetAction(parse =>
        {
            if (!RequireUser(parse.GetValue(user)))
            {
                return ExitCodes.InvalidInput;
            }
            try
            {
                Gateway.Hosting.GatewayHostOptions.ParseListen(parse.GetValue(listen)!);
            }
            catch (FormatException ex)
            {
                Console.Error.WriteLine($"error: --listen {ex.Message}");
                return ExitCodes.InvalidInput;
            }
            var serve = new List<string>(Core.Catalog.EngineCommandLine.ForCurrentProcess()) { "serve", "--listen", parse.GetValue(listen)! };
            if (parse.GetValue(config) is { } file)
            {
                if (!file.Exists)
                {
                    Console.Error.WriteLine($"error: --config {file.FullName} does not exist");
                    return ExitCodes.InvalidInput;
                }
                serve.AddRange(["--config", file.FullName]);
            }
            foreach (var dir in parse.GetValue(modelsDirs) ?? [])
            {
                serve.AddRange(["--models-dir", Path.GetFullPath(dir)]);
            }
            if (parse.GetValue(watch))
            {
                serve.Add("--watch-config");
            }
            var environment = new List<KeyValuePair<string, string>>();
            // A user manager does not see the shell's variables: carry over the ones that choose where things live.
            foreach (var name in new[] { "MODELSWAP_HOME", "MODELSWAP_MODELS_DIR", "HF_ENDPOINT" })
            {
                if (Environment.GetEnvironmentVariable(name) is { Length: > 0 } value)
                {
                    environment.Add(new(name, value));
                }
            }
            var directory = SystemdUnit.UserUnitDirectory();
            var path = Path.Combine(directory, SystemdUnit.Name);
            try
            {
                Directory.CreateDirectory(directory);
                Core.Catalog.AtomicFile.WriteIfChanged(path, SystemdUnit.Render(serve, environment));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"error: cannot write {path}: {ex.Message}");
                return ExitCodes.Failure;
            }
            Console.Error.WriteLine($"wrote {path}");
            Console.Error.WriteLine("start it now and at every login with:");
            Console.Error.WriteLine("  systemctl --user daemon-reload && systemctl --user enable --now modelswap");
            Console.Error.WriteLine("logs: journalctl --user -u modelswap -f   (to keep it running after logout: loginctl enable-linger)");
            Console.Out.WriteLine(path);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command Uninstall()
    {
        var user = User();
        var command = new Command("uninstall", "Remove the systemd user unit modelswap.service.") { user };
        command.SetAction(parse =>
        {
            if (!RequireUser(parse.GetValue(user)))
            {
                return ExitCodes.InvalidInput;
            }
            var path = Path.Combine(SystemdUnit.UserUnitDirectory(), SystemdUnit.Name);
            if (!File.Exists(path))
            {
                Console.Error.WriteLine($"not installed ({path} does not exist)");
                return ExitCodes.Ok;
            }
            Console.Error.WriteLine("stop and disable it first if it runs:  systemctl --user disable --now modelswap");
            File.Delete(path);
            Console.Error.WriteLine($"removed {path}; then: systemctl --user daemon-reload");
            return ExitCodes.Ok;
        });
        return command;
    }

    private static bool RequireUser(bool user)
    {
        if (!user)
        {
            Console.Error.WriteLine("error: only user services are supported: add --user");
        }
        return user;
    }
}
