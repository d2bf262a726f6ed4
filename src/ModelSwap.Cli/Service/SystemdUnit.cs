using System.Text;

namespace ModelSwap.Cli.Service;

/// <summary>The systemd user unit that runs `modelswap serve` at login (Type=notify: ready when it listens).</summary>
internal static class SystemdUnit
{
    public const string Name = "modelswap.service";

    /// <summary>$XDG_CONFIG_HOME/systemd/user, else ~/.config/systemd/user.</summary>
    public static string UserUnitDirectory()
    {
        var config = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        if (string.IsNullOrEmpty(config))
        {
            config = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        }
        return Path.Combine(config, "systemd", "user");
    }

    /// <param name="command">Program and arguments of ExecStart.</param>
    /// <param name="environment">Variables the service needs that a login session may not set (MODELSWAP_HOME, …).</param>
    public static string Render(IReadOnlyList<string> command, IReadOnlyList<KeyValuePair<string, string>> environment)
    {
        var text = new StringBuilder();
        text.Append("# Written by `modelswap service install --user`; `modelswap service uninstall --user` removes it.\n");
        text.Append("[Unit]\n");
        text.Append("Description=ModelSwap: one OpenAI-compatible endpoint for many local models\n");
        text.Append("After=network.target\n\n");
        text.Append("[Service]\n");
        // notify: systemd considers it started only once it listens (Microsoft.Extensions.Hosting.Systemd sends READY=1).
        text.Append("Type=notify\n");
        text.Append("ExecStart=").Append(string.Join(' ', command.Select(Quote))).Append('\n');
        foreach (var (key, value) in environment)
        {
            text.Append("Environment=").Append(Quote(key + "=" + value)).Append('\n');
        }
        // SIGTERM to ModelSwap only: it stops its model servers itself, then exits; the rest is killed after the timeout.
        text.Append("KillMode=mixed\n");
        text.Append("TimeoutStopSec=90\n");
        text.Append("Restart=on-failure\n");
        text.Append("RestartSec=5\n\n");
        text.Append("[Install]\n");
        text.Append("WantedBy=default.target\n");
        return text.ToString();
    }

    /// <summary>One word of ExecStart/Environment: double-quoted, with systemd's specifiers (%) and variables ($) escaped.</summary>
    internal static string Quote(string word)
    {
        var escaped = word.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)
            .Replace("%", "%%", StringComparison.Ordinal).Replace("$", "$$", StringComparison.Ordinal);
        return "\"" + escaped + "\"";
    }
}
