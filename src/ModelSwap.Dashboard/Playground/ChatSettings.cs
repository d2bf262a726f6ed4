namespace ModelSwap.Dashboard.Playground;

/// <summary>What the Playground sends with a chat: the model, the system prompt and the sampling settings.</summary>
/// <param name="Stop">Stop sequences, one per line in the form; empty sends none.</param>
internal sealed record ChatSettings(string Model, string? SystemPrompt, double Temperature, int MaxTokens, IReadOnlyList<string> Stop);
