using System.Globalization;
using System.Text.RegularExpressions;

namespace ModelSwap.Core.Configuration.Loading;

/// <summary>
/// The macros visible in one model (or, without a model, at top level) with their values expanded.
/// Semantics follow llama-swap: model macros override global ones in place, a macro may use only
/// macros declared before it, <c>${MODEL_ID}</c> is the model id, <c>${PORT}</c> the model's port,
/// <c>${PID}</c> stays for cmdStop, and a value that is exactly <c>${name}</c> keeps the macro's type.
/// </summary>
internal sealed partial class MacroScope
{
    public const string PortName = "PORT";
    public const string ModelIdName = "MODEL_ID";
    public const string PidName = "PID";
    public const string PortToken = "${PORT}";

    public static readonly IReadOnlyList<string> ReservedNames = [PortName, ModelIdName, PidName];

    private readonly Dictionary<string, MacroValue> _values = new(StringComparer.Ordinal);
    private readonly string? _modelId;

    private MacroScope(string? modelId) => _modelId = modelId;

    /// <summary>The port assigned to <c>${PORT}</c>; null until (unless) one is assigned.</summary>
    public int? Port { get; set; }

    public IEnumerable<string> Names => _values.Keys.Concat(ReservedNames);

    /// <summary>Checks once that each global macro uses only globals declared before it.</summary>
    public static void ValidateGlobals(IReadOnlyList<MacroDefinition> globals, DiagnosticBag diagnostics)
    {
        var positions = PositionsOf(globals);
        for (var i = 0; i < globals.Count; i++)
        {
            CheckReferences(globals[i], i, positions, diagnostics);
        }
    }

    /// <summary>
    /// The scope of one model: globals (overridden in place by same-named model macros) followed by
    /// the model's new macros. Errors in global macros were reported by <see cref="ValidateGlobals"/>.
    /// </summary>
    public static MacroScope Build(IReadOnlyList<MacroDefinition> globals, IReadOnlyList<MacroDefinition> modelMacros,
        string? modelId, DiagnosticBag diagnostics)
    {
        var merged = new List<MacroDefinition>(globals);
        foreach (var macro in modelMacros)
        {
            var at = merged.FindIndex(m => m.Name == macro.Name);
            if (at >= 0)
            {
                merged[at] = macro;
            }
            else
            {
                merged.Add(macro);
            }
        }
        var positions = PositionsOf(merged);
        var scope = new MacroScope(modelId);
        for (var i = 0; i < merged.Count; i++)
        {
            var macro = merged[i];
            if (macro.IsModelLevel)
            {
                CheckReferences(macro, i, positions, diagnostics);
            }
            // References that are not (yet) defined were reported; they expand to nothing, since the
            // config is rejected anyway and one mistake should be reported once, not at every use.
            scope._values[macro.Name] = scope.ExpandCore(macro.Value, dropUnknown: true).Value;
        }
        return scope;
    }

    /// <summary>Expands a string value; other types are returned unchanged.</summary>
    public Expansion Expand(string text) => Unescaped(ExpandCore(MacroValue.Of(text), dropUnknown: false));

    public Expansion Expand(MacroValue value) => Unescaped(ExpandCore(value, dropUnknown: false));

    /// <summary>Escaped text ("$${x}") becomes literal only in the final value, never in a macro's stored value.</summary>
    private static Expansion Unescaped(Expansion expansion) =>
        expansion.Value.Value is string text ? expansion with { Value = MacroValue.Of(MacroEscaping.Unescape(text)) } : expansion;

    /// <summary>Reports what an expansion left unresolved at the value's line and key path.</summary>
    public void Report(Expansion expansion, int line, string path, bool allowPid, DiagnosticBag diagnostics)
    {
        foreach (var name in expansion.Unknown)
        {
            var hint = Suggestions.Hint(name, Names, "'${", "}'");
            diagnostics.Error(line, path, $"unknown macro '${{{name}}}'{hint}");
        }
        if (_modelId is null)
        {
            foreach (var (used, name) in new[] { (expansion.NeedsPort, PortName), (expansion.UsesModelId, ModelIdName), (expansion.UsesPid, PidName) })
            {
                if (used)
                {
                    diagnostics.Error(line, path, $"${{{name}}} is only available inside a model's settings");
                }
            }
            return;
        }
        if (expansion.UsesPid && !allowPid)
        {
            diagnostics.Error(line, path, "${PID} is only available in cmdStop");
        }
        if (expansion.NeedsPort)
        {
            diagnostics.Error(line, path,
                "${PORT} has no value here: a port is assigned only to models whose cmd or proxy uses ${PORT}");
        }
    }

    private Expansion ExpandCore(MacroValue value, bool dropUnknown)
    {
        if (value.Value is not string text)
        {
            return new Expansion(value, [], false, false, false);
        }
        var unknown = new List<string>();
        MacroValue result;
        var exact = MacroReference().Match(text);
        if (exact.Success && exact.Length == text.Length && Resolve(exact.Groups[1].Value) is { } typed)
        {
            result = typed;
        }
        else
        {
            var replaced = MacroReference().Replace(text, match =>
            {
                var name = match.Groups[1].Value;
                if (Resolve(name) is { } found)
                {
                    return found.Text;
                }
                if (ReservedNames.Contains(name))
                {
                    return match.Value;
                }
                if (!unknown.Contains(name))
                {
                    unknown.Add(name);
                }
                return dropUnknown ? "" : match.Value;
            });
            result = MacroValue.Of(replaced);
        }
        // ${PORT} goes last: macro values may contain it (llama-swap's own example does).
        if (result.Value is string expanded && Port is { } port && Uses(expanded, PortName))
        {
            result = expanded == PortToken
                ? MacroValue.Of(port)
                : MacroValue.Of(PortReference().Replace(expanded, port.ToString(CultureInfo.InvariantCulture)));
        }
        var final = result.Value as string ?? "";
        return new Expansion(result, unknown,
            NeedsPort: Uses(final, PortName),
            UsesPid: Uses(final, PidName),
            UsesModelId: _modelId is null && Uses(final, ModelIdName));
    }

    private MacroValue? Resolve(string name)
    {
        if (_values.TryGetValue(name, out var value))
        {
            return value;
        }
        if (name == ModelIdName && _modelId is not null)
        {
            // An id (often a file name) is data: escaped, so a "${…}" in it stays literal.
            return MacroValue.Of(MacroEscaping.Escape(_modelId));
        }
        return name == PortName && Port is { } port ? MacroValue.Of(port) : null;
    }

    private static void CheckReferences(MacroDefinition macro, int position, Dictionary<string, int> positions, DiagnosticBag diagnostics)
    {
        if (macro.Value.Value is not string text)
        {
            return;
        }
        foreach (var name in MacroReference().Matches(text).Select(m => m.Groups[1].Value).Distinct())
        {
            if (ReservedNames.Contains(name))
            {
                continue;
            }
            if (name == macro.Name)
            {
                diagnostics.Error(macro.Line, macro.Path, $"macro '{macro.Name}' refers to itself");
            }
            else if (positions.TryGetValue(name, out var at) && at > position)
            {
                diagnostics.Error(macro.Line, macro.Path,
                    $"macro '{macro.Name}' uses '${{{name}}}', which is declared after it; a macro may only use macros declared before it");
            }
            else if (!positions.ContainsKey(name))
            {
                var hint = Suggestions.Hint(name, positions.Keys.Concat(ReservedNames), "'${", "}'");
                diagnostics.Error(macro.Line, macro.Path, $"macro '{macro.Name}' uses unknown macro '${{{name}}}'{hint}");
            }
        }
    }

    private static Dictionary<string, int> PositionsOf(IReadOnlyList<MacroDefinition> macros)
    {
        var positions = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < macros.Count; i++)
        {
            positions[macros[i].Name] = i;
        }
        return positions;
    }

    /// <summary>True when <paramref name="text"/> refers to the reserved macro (not escaped as "$${…}").</summary>
    private static bool Uses(string text, string name) =>
        text.Contains("${" + name + "}", StringComparison.Ordinal)
        && MacroReference().Matches(text).Any(m => m.Groups[1].Value == name);

    // (?<!\$): "$${name}" is the escaped, literal text "${name}" (see MacroEscaping).
    [GeneratedRegex(@"(?<!\$)\$\{([a-zA-Z0-9_-]+)\}")]
    private static partial Regex MacroReference();

    [GeneratedRegex(@"(?<!\$)\$\{PORT\}")]
    private static partial Regex PortReference();
}
