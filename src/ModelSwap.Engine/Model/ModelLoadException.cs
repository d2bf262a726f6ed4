namespace ModelSwap.Engine.Model;

/// <summary>The model could not be loaded; the message says why in words a user can act on.</summary>
internal sealed class ModelLoadException(string message, Exception? inner = null) : Exception(message, inner);
