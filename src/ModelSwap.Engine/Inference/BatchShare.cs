namespace ModelSwap.Engine.Inference;

/// <summary>How many queued tokens of sequence <see cref="SequenceId"/> go into the next decode.</summary>
internal readonly record struct BatchShare(int SequenceId, int Count);
