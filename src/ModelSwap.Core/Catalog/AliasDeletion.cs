namespace ModelSwap.Core.Catalog;

/// <summary>
/// Deleting by an automatic alias (gpt-3.5-turbo, gpt-4, text-davinci-003, …) is refused: such an
/// alias moves to whichever model qualifies last, so the name a user remembers may by now point at
/// another model. Every delete (CLI rm, the management API) asks this before deleting.
/// </summary>
public static class AliasDeletion
{
    /// <summary>The refusal message, or null when deleting <paramref name="requested"/> is fine.</summary>
    /// <param name="requested">The name the user asked to delete.</param>
    /// <param name="resolvedModel">The model that name resolves to now (its own name), when known.</param>
    public static string? Refusal(string requested, string? resolvedModel)
    {
        if (!AliasRules.AutomaticAliases.Contains(requested, StringComparer.OrdinalIgnoreCase)
            || string.Equals(requested, resolvedModel, StringComparison.Ordinal))
        {
            return null;
        }
        return resolvedModel is null
            ? $"'{requested}' is an automatic alias, not a model; delete a model by its own name (modelswap models list)"
            : $"'{requested}' is an automatic alias, now pointing at '{resolvedModel}'; automatic aliases move between models, so delete by the model's own name: '{resolvedModel}'";
    }
}
