using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ModelSwap.Core.Configuration.Loading;

/// <summary>Reads a <c>macros:</c> mapping (global or per model), checking names and value types.</summary>
internal static partial class MacroReader
{
    private const int MaxNameLength = 63;
    private const int MaxValueLength = 1023;

    public static List<MacroDefinition> Read(NodeReader reader, YamlNode node, string path, bool modelLevel)
    {
        var macros = new List<MacroDefinition>();
        if (reader.Mapping(node, path, "a mapping of macro names to values") is not { } mapping)
        {
            return macros;
        }
        var diagnostics = reader.Diagnostics;
        foreach (var (name, keyNode, valueNode, entryPath) in reader.Entries(mapping, path))
        {
            var nameOk = true;
            if (MacroScope.ReservedNames.Contains(name))
            {
                diagnostics.Error(keyNode, entryPath, $"macro name '{name}' is reserved (PORT, MODEL_ID and PID are set by ModelSwap)");
                nameOk = false;
            }
            else if (!ValidName().IsMatch(name))
            {
                diagnostics.Error(keyNode, entryPath, $"macro name '{name}' is invalid: it must match ^[a-zA-Z0-9_-]+$");
                nameOk = false;
            }
            else if (name.Length > MaxNameLength)
            {
                diagnostics.Error(keyNode, entryPath, $"macro name '{name[..20]}…' is too long: at most {MaxNameLength} characters");
                nameOk = false;
            }
            if (reader.Scalar(valueNode, entryPath, "a string, number or true/false") is not { } scalar)
            {
                continue;
            }
            if (scalar.Type == ScalarType.Null)
            {
                diagnostics.Error(valueNode, entryPath, $"macro '{name}' has no value; give it a string, number or true/false");
                continue;
            }
            if (scalar.Type == ScalarType.String && scalar.Text.Length > MaxValueLength)
            {
                diagnostics.Error(valueNode, entryPath, $"macro '{name}' is too long: at most {MaxValueLength} characters");
                continue;
            }
            if (nameOk)
            {
                macros.Add(new MacroDefinition(name, scalar.ToMacroValue()!, DiagnosticBag.LineOf(keyNode), entryPath, modelLevel));
            }
        }
        return macros;
    }

    [GeneratedRegex("^[a-zA-Z0-9_-]+$")]
    private static partial Regex ValidName();
}
