namespace ModelSwap.Cli.Commands;

/// <summary>No ModelSwap service answered (nothing listens, or something else does).</summary>
internal sealed class ServiceUnreachableException(string message, Exception inner) : Exception(message, inner);
