namespace ModelSwap.Gateway.Management;

/// <summary>One log line; <see cref="Stream"/> is all, proxy or upstream, as asked for.</summary>
internal sealed record LogLineEvent(string Stream, string Line);
