namespace ModelSwap.Engine.Inference;

/// <summary>Why a generation ended. Stop and Length are OpenAI's `finish_reason` values.</summary>
internal enum FinishReason
{
    /// <summary>The model ended its turn or a stop sequence matched.</summary>
    Stop,
    /// <summary>max_tokens reached, or the request's context is full.</summary>
    Length,
    /// <summary>The client went away; nobody reads the result.</summary>
    Cancelled,
}
