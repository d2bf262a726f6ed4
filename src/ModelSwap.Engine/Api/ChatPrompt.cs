using LLama.Native;
using ModelSwap.Engine.Inference;
using ModelSwap.Engine.Tools;

namespace ModelSwap.Engine.Api;

/// <summary>A rendered chat as the loop takes it: tokens (or, with images, the projector's chunks and their last text) and the tools in play.</summary>
internal sealed record ChatPrompt(LLamaToken[] Tokens, PromptMedia? Media, ToolSession? Tools)
{
    /// <summary>Cache positions the prompt takes: what must fit the context.</summary>
    public int Length => Media?.PositionCount ?? Tokens.Length;
}
