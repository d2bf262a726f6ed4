namespace ModelSwap.Gateway.Hosting;

/// <summary>
/// Security settings from the environment, added to the config's: <c>MODELSWAP_API_KEYS</c> and
/// <c>MODELSWAP_ORIGINS</c> (comma- or space-separated).
/// </summary>
internal sealed record SecuritySettings
{
    public IReadOnlyList<string> ApiKeys { get; init; } = [];

    public IReadOnlyList<string> Origins { get; init; } = [];

    public static SecuritySettings FromEnvironment() => new()
    {
        ApiKeys = Split(Environment.GetEnvironmentVariable("MODELSWAP_API_KEYS")),
        Origins = Split(Environment.GetEnvironmentVariable("MODELSWAP_ORIGINS")),
    };

    private static string[] Split(string? value) =>
        value is null ? [] : value.Split([',', ' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
