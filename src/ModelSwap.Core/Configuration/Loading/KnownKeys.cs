namespace ModelSwap.Core.Configuration.Loading;

/// <summary>Every llama-swap config key, per section, split into supported and not (yet) supported.</summary>
internal static class KnownKeys
{
    private const string LoggingNote = " (ModelSwap's logging is set by logLevel only)";
    private const string VirtualIdNote = " (its virtual model ids are not served)";

    public static readonly KeySet TopLevel = new(
        ["healthCheckTimeout", "logLevel", "startPort", "globalTTL", "unloadTimeout", "macros", "models",
         "groups", "hooks", "apiKeys", "includeAliasesInList", "swapWaitTimeout"],
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["logTimeFormat"] = LoggingNote,
            ["logToStdout"] = LoggingNote,
            ["logRequests"] = LoggingNote,
            ["metricsMaxInMemory"] = " (activity metrics are kept by ModelSwap itself)",
            ["captureBuffer"] = " (request/response capture is not available)",
            ["store"] = " (activity storage is kept by ModelSwap itself)",
            ["ui"] = " (ModelSwap has its own dashboard at /ui)",
            ["performance"] = " (system statistics are not polled)",
            ["sendLoadingState"] = " (no loading messages are injected into responses)",
            ["upstream"] = " (every /upstream request may start its model)",
            ["profiles"] = VirtualIdNote,
            ["selectors"] = VirtualIdNote,
            ["matrix"] = " (ModelSwap swaps by groups only; declare them under a top-level 'groups:')",
            ["routing"] = " (ModelSwap swaps by groups only; move routing.router.settings.groups to a top-level 'groups:' section)",
            ["peers"] = " (remote peer models are not served)",
        });

    public static readonly KeySet Model = new(
        ["cmd", "cmdStop", "proxy", "aliases", "env", "checkEndpoint", "ttl", "unloadTimeout", "unlisted",
         "useModelName", "name", "description", "metadata", "concurrencyLimit", "filters", "macros", "timeouts"],
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["sendLoadingState"] = " (no loading messages are injected into responses)",
            ["compat"] = "",
            ["capabilities"] = " (capabilities are not reported in /v1/models)",
        });

    public static readonly KeySet Timeouts = new(
        ["connect", "keepalive", "responseHeader", "tlsHandshake", "expectContinue", "idleConn", "idle"],
        new Dictionary<string, string>(StringComparer.Ordinal));

    public static readonly KeySet Filters = new(
        ["stripParams", "strip_params", "setParams"],
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["setParamsByID"] = " (its keys are not registered as aliases, and requests through them are answered 404)",
        });

    public static readonly KeySet Group = new(
        ["swap", "exclusive", "persistent", "members"],
        new Dictionary<string, string>(StringComparer.Ordinal));

    public static readonly KeySet Hooks = new(["on_startup"], new Dictionary<string, string>(StringComparer.Ordinal));

    public static readonly KeySet OnStartup = new(["preload"], new Dictionary<string, string>(StringComparer.Ordinal));

    public static readonly KeySet Alias = new(
        ["id"],
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["name"] = " (aliases are listed under their model's name)",
            ["unlisted"] = " (aliases are listed only with includeAliasesInList)",
        });
}
