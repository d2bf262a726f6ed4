namespace ModelSwap.Testing;

/// <summary>What one run of a command gave: exit code and both streams, whole.</summary>
public sealed record CliResult(int Code, string Stdout, string Stderr);
