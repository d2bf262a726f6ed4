namespace ModelSwap.Testing;

/// <summary>Asks the OS whether a process still exists (zombies count as gone).</summary>
public static class ProcessProbe
{
    public static bool IsAlive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        try
        {
            var text = File.ReadAllText(stat);
            // Field 3 (after the parenthesised command) is the state; Z is a zombie.
            var state = text[(text.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state != "Z" && state != "X";
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

    /// <summary>Waits (bounded, polling) until the process is gone; returns false if it is still alive.</summary>
    public static async Task<bool> WaitForExitAsync(int pid, TimeSpan within)
    {
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (!IsAlive(pid))
            {
                return true;
            }
            await Task.Delay(20);
        }
        return !IsAlive(pid);
    }
}
