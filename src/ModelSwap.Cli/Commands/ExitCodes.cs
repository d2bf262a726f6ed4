namespace ModelSwap.Cli.Commands;

/// <summary>Named exit codes shared by every verb.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    /// <summary>Bad arguments or an invalid input file.</summary>
    public const int InvalidInput = 2;
    /// <summary>`status`: the service is not running.</summary>
    public const int NotRunning = 3;
}
