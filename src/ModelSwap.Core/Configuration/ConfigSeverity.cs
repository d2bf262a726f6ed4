namespace ModelSwap.Core.Configuration;

/// <summary>How bad a <see cref="ConfigDiagnostic"/> is: errors reject the file, warnings do not.</summary>
public enum ConfigSeverity
{
    Error,
    Warning,
}
