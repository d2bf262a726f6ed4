using System.Collections.Immutable;

namespace ModelSwap.Core.Configuration;

/// <summary>
/// What loading a config produced: the config when there were no errors (null otherwise, so a
/// half-valid config can never be served), and every error and warning found.
/// </summary>
public sealed record ConfigLoadResult(ModelSwapConfig? Config, ImmutableArray<ConfigDiagnostic> Diagnostics)
{
    public bool IsValid => Config is not null && !Errors.Any();

    public IEnumerable<ConfigDiagnostic> Errors => Diagnostics.Where(d => d.Severity == ConfigSeverity.Error);

    public IEnumerable<ConfigDiagnostic> Warnings => Diagnostics.Where(d => d.Severity == ConfigSeverity.Warning);
}
