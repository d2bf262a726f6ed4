namespace ModelSwap.Gateway.Hosting;

/// <summary>
/// How a watched file is judged finished: it is read, then read again <see cref="QuietInterval"/>
/// later, until two reads in a row are identical (and parse). The clock is its own so tests drive
/// it with a fake time without slowing the model processes' own timers.
/// </summary>
internal sealed record ReloadTiming(TimeProvider Time, TimeSpan QuietInterval)
{
    /// <summary>One second: longer than the pauses of editors and of scripts that write in parts.</summary>
    public static ReloadTiming Default { get; } = new(TimeProvider.System, TimeSpan.FromSeconds(1));
}
