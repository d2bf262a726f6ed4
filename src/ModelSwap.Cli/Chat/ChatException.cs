namespace ModelSwap.Cli.Chat;

/// <summary>The service refused or broke a chat; the message is the service's.</summary>
internal sealed class ChatException(string message) : Exception(message);
