namespace ModelSwap.Testing;

/// <summary>A service `modelswap start` left running in the background; disposing it runs `modelswap stop`.</summary>
public sealed class StartedService : IAsyncDisposable
{
    private readonly CliRunner _cli;

    internal StartedService(CliRunner cli, CliResult start)
    {
        _cli = cli;
        Start = start;
    }

    /// <summary>What `start` printed.</summary>
    public CliResult Start { get; }

    /// <summary>What `stop` printed, once disposed.</summary>
    public CliResult? Stop { get; private set; }

    public async ValueTask DisposeAsync()
    {
        if (Stop is null)
        {
            Stop = await _cli.RunAsync("stop").ConfigureAwait(false);
            if (Stop.Code != 0)
            {
                throw new InvalidOperationException($"modelswap stop exited {Stop.Code}: {Stop.Stderr}");
            }
        }
    }
}
