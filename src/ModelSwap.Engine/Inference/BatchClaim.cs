namespace ModelSwap.Engine.Inference;

/// <summary>A slot's wish for the next decode: its sequence id, whether it is past its prompt, and its queued tokens.</summary>
internal readonly record struct BatchClaim(int SequenceId, bool Generating, int Pending);
