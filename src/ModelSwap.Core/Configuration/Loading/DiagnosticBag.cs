using System.Collections.Immutable;
using YamlDotNet.RepresentationModel;

namespace ModelSwap.Core.Configuration.Loading;

/// <summary>Collects every finding of one load, so validation never stops at the first error.</summary>
internal sealed class DiagnosticBag(string source)
{
    private readonly List<ConfigDiagnostic> _items = [];
    private readonly HashSet<(ConfigSeverity, int, string, string)> _seen = [];

    public string Source { get; } = source;

    public bool HasErrors { get; private set; }

    public void Error(int line, string path, string message) => Add(ConfigSeverity.Error, line, path, message);

    public void Error(YamlNode node, string path, string message) => Error(LineOf(node), path, message);

    public void Warning(int line, string path, string message) => Add(ConfigSeverity.Warning, line, path, message);

    public void Warning(YamlNode node, string path, string message) => Warning(LineOf(node), path, message);

    public static int LineOf(YamlNode node) => (int)node.Start.Line;

    /// <summary>Findings in file order (a stable sort, so findings on one line keep their order).</summary>
    public ImmutableArray<ConfigDiagnostic> ToImmutable() => [.. _items.OrderBy(d => d.Line)];

    private void Add(ConfigSeverity severity, int line, string path, string message)
    {
        // The same model macro can be expanded for several fields; say each thing once.
        if (!_seen.Add((severity, line, path, message)))
        {
            return;
        }
        HasErrors |= severity == ConfigSeverity.Error;
        _items.Add(new ConfigDiagnostic(severity, Source, line, path, message));
    }
}
