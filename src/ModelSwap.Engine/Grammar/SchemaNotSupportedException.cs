namespace ModelSwap.Engine.Grammar;

/// <summary>A JSON Schema uses something the grammar converter cannot enforce; the message names it and where.</summary>
internal sealed class SchemaNotSupportedException(string message) : Exception(message);
