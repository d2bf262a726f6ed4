namespace ModelSwap.Core.Catalog;

/// <summary>The context a generated config gives a model, and why (shown by <c>models show</c> and logged).</summary>
public sealed record ContextChoice(int Size, string Reason, bool Auto);
