using System.Collections.Immutable;

namespace ModelSwap.Core.Catalog;

/// <summary>
/// One key of a models.yaml entry to set to <paramref name="Value"/> (YAML flow text: a number, true,
/// a JSON string or list) or to remove (null). <paramref name="Synonyms"/> are other spellings of the
/// same key (<c>ctxSize</c> for <c>ctx-size</c>): a key present under one of them is replaced in place.
/// </summary>
public sealed record YamlKeyEdit(string Key, string? Value, ImmutableArray<string> Synonyms = default)
{
    public IEnumerable<string> Names => Synonyms.IsDefaultOrEmpty ? [Key] : Synonyms.Prepend(Key);
}
