namespace ModelSwap.Core.Configuration.Loading;

/// <summary>One declared macro, in file order; <see cref="IsModelLevel"/> for a model's own macros.</summary>
internal sealed record MacroDefinition(string Name, MacroValue Value, int Line, string Path, bool IsModelLevel);
