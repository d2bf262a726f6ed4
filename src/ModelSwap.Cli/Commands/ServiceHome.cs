using System.Text.Json;

namespace ModelSwap.Cli.Commands;

/// <summary>
/// MODELSWAP_HOME (default ~/.modelswap): where `start` records the background service it started
/// (pid, URL, arguments) and where that service's log goes.
/// </summary>
internal sealed record ServiceHome(string Directory)
{
    public static ServiceHome FromEnvironment() => new(ModelSwap.Core.Catalog.CatalogPaths.DefaultHome());

    public string StateFile => Path.Combine(Directory, "modelswap.pid.json");
    public string LogFile => Path.Combine(Directory, "logs", "modelswap.log");

    internal sealed record State(int Pid, string Url, string[] ServeArguments, DateTimeOffset StartedAt);

    public State? Read()
    {
        try
        {
            return JsonSerializer.Deserialize<State>(File.ReadAllText(StateFile));
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Write(State state)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var temp = StateFile + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(state));
        File.Move(temp, StateFile, overwrite: true);
    }

    public void Clear() => File.Delete(StateFile);

    /// <summary>An exclusive lock on this state dir for the length of a start; null when another holds it.</summary>
    public IDisposable? TryLock()
    {
        System.IO.Directory.CreateDirectory(Directory);
        try
        {
            // FileShare.None is an advisory flock on Unix: released when the holder exits, however it exits.
            return new FileStream(Path.Combine(Directory, "start.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>True when a process with this pid runs and is a modelswap (not a recycled pid).</summary>
    public static bool IsModelSwap(int pid)
    {
        try
        {
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            return commandLine.Contains("modelswap", StringComparison.OrdinalIgnoreCase) && commandLine.Contains(" serve", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }
}
