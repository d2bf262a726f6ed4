namespace ModelSwap.Dashboard.Playground;

/// <summary>One message of a Playground conversation (role is system, user or assistant).</summary>
public sealed record ChatMessage(string Role, string Content);
