namespace ModelSwap.Engine.Inference;

/// <summary>The engine could not run a generation (stopping, or llama.cpp failed); reported as a server error.</summary>
internal sealed class EngineUnavailableException(string message) : Exception(message);
