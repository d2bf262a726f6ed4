using System.Collections.Immutable;
using System.Reflection;

namespace ModelSwap.Core.Catalog;

/// <summary>
/// How generated configs start the built-in engine: the way this very process was started, so
/// the engine is always the same build as the gateway and no PATH lookup can pick another one.
/// </summary>
public static class EngineCommandLine
{
    private const string ExecutableName = "modelswap";

    /// <summary>The command for the running process (see <see cref="Resolve"/>).</summary>
    public static ImmutableArray<string> ForCurrentProcess() =>
        Resolve(Environment.ProcessPath, Assembly.GetEntryAssembly()?.Location);

    /// <summary>
    /// <c>[apphost]</c> when the process is the <c>modelswap</c> executable; <c>[dotnet, modelswap.dll]</c>
    /// when it runs under <c>dotnet</c>; otherwise (a test host, a benchmark) plain <c>modelswap</c>,
    /// found on PATH.
    /// </summary>
    public static ImmutableArray<string> Resolve(string? processPath, string? entryAssemblyPath)
    {
        if (processPath is { Length: > 0 })
        {
            var program = Path.GetFileNameWithoutExtension(processPath);
            if (program.Equals(ExecutableName, StringComparison.OrdinalIgnoreCase))
            {
                return [processPath];
            }
            if (program.Equals("dotnet", StringComparison.OrdinalIgnoreCase) && entryAssemblyPath is { Length: > 0 }
                && Path.GetFileNameWithoutExtension(entryAssemblyPath).Equals(ExecutableName, StringComparison.OrdinalIgnoreCase))
            {
                return [processPath, entryAssemblyPath];
            }
        }
        return [ExecutableName];
    }
}
