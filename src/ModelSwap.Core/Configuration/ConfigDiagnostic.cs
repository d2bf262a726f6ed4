using System.Text;

namespace ModelSwap.Core.Configuration;

/// <summary>
/// One finding about a config file: where it is (source, 1-based line, key path such as
/// <c>models.llama.ttl</c>) and what is wrong. Line 0 means the finding concerns the whole file.
/// </summary>
public sealed record ConfigDiagnostic(ConfigSeverity Severity, string Source, int Line, string KeyPath, string Message)
{
    /// <summary>Formats as <c>error: config.yaml:12: models.llama.ttl: ttl must be &gt;= 0</c>.</summary>
    public override string ToString()
    {
        var text = new StringBuilder(Severity == ConfigSeverity.Error ? "error: " : "warning: ");
        text.Append(Source);
        if (Line > 0)
        {
            text.Append(':').Append(Line);
        }
        text.Append(": ");
        if (KeyPath.Length > 0)
        {
            text.Append(KeyPath).Append(": ");
        }
        return text.Append(Message).ToString();
    }
}
