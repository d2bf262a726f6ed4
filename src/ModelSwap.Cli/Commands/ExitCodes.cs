namespace ModelSwap.Cli.Commands;

/// <summary>
/// Named exit codes shared by every verb (the README lists them). Scripts may rely on them: 0 done,
/// 1 the work failed, 2 the command line or an input file was wrong (nothing was done), 3 the service
/// is not running, 130/143 stopped by SIGINT/SIGTERM (128 + the signal, as shells report it).
/// </summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    /// <summary>Bad arguments or an invalid input file.</summary>
    public const int InvalidInput = 2;
    /// <summary>The service is not running (`status`), or does not answer a verb that needs it.</summary>
    public const int NotRunning = 3;
    /// <summary>Stopped by Ctrl+C (SIGINT).</summary>
    public const int Interrupted = 130;
    /// <summary>Stopped by SIGTERM.</summary>
    public const int Terminated = 143;
}
