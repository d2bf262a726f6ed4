namespace ModelSwap.Engine.Api;

/// <summary>
/// One input to embed: a text (tokenised by the model) or token ids, embedded exactly as sent
/// (as llama-server does; turning them into text and back is not an identity). <see cref="Where"/>
/// names it in errors ('input' or 'input[i]').
/// </summary>
internal sealed record EmbeddingInput(string? Text, int[]? Ids, string Where);
