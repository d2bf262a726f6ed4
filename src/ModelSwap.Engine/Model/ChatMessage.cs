namespace ModelSwap.Engine.Model;

/// <summary>One chat message as the template sees it: a role and plain text.</summary>
internal sealed record ChatMessage(string Role, string Content);
