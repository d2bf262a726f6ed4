namespace ModelSwap.Gateway.Hosting;

/// <summary>
/// Waits until a file a writer may still be writing has stopped changing: reads it, waits a quiet
/// interval, reads again, and repeats until two reads in a row are identical and
/// <paramref name="accept"/> takes the text (e.g. it parses). Gives up after <see cref="MaxReads"/>
/// reads (a file that keeps changing or stays unparsable), returning the last text read.
/// </summary>
internal static class SettledFile
{
    public const int MaxReads = 30;

    /// <param name="onWaiting">Called each time a wait starts, with the number of reads so far (tests step the clock on it).</param>
    public static async Task<string?> ReadAsync(string path, ReloadTiming timing, Func<string, bool> accept,
        Action<int>? onWaiting, CancellationToken cancellationToken)
    {
        var previous = TryRead(path);
        for (var reads = 1; reads < MaxReads; reads++)
        {
            // The timer exists before the callback runs, so a test that advances the clock on it never misses it.
            var wait = Task.Delay(timing.QuietInterval, timing.Time, cancellationToken);
            onWaiting?.Invoke(reads);
            await wait.ConfigureAwait(false);
            var current = TryRead(path);
            if (current is not null && string.Equals(current, previous, StringComparison.Ordinal) && accept(current))
            {
                return current;
            }
            previous = current;
        }
        return previous;
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Absent for a moment during a rename-into-place: read again after the interval.
            return null;
        }
    }
}
