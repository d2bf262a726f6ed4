namespace ModelSwap.Core.Configuration.Loading;

/// <summary>
/// The result of expanding macros in one value: the typed value, the unknown macro names left in
/// it, and whether it still needs <c>${PORT}</c> (no port assigned yet) or <c>${PID}</c>.
/// </summary>
internal sealed record Expansion(MacroValue Value, IReadOnlyList<string> Unknown, bool NeedsPort, bool UsesPid, bool UsesModelId);
