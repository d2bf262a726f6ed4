using ModelSwap.Core.Configuration;

namespace ModelSwap.Core.Tests.Configuration;

/// <summary>Loads YAML text with a fixed environment and (by default) every port free, so tests are deterministic.</summary>
internal static class ConfigTestLoader
{
    public static ConfigLoadResult Load(string yaml, IReadOnlyDictionary<string, string>? env = null, Func<int, bool>? isPortFree = null) =>
        ConfigLoader.Parse(yaml, "config.yaml", new ConfigLoadOptions
        {
            GetEnvironmentVariable = name => env is not null && env.TryGetValue(name, out var value) ? value : null,
            IsPortFree = isPortFree ?? (_ => true),
        });

    /// <summary>Loads and asserts there are no errors, showing every diagnostic when there are.</summary>
    public static ModelSwapConfig Valid(string yaml, IReadOnlyDictionary<string, string>? env = null, Func<int, bool>? isPortFree = null)
    {
        var result = Load(yaml, env, isPortFree);
        Assert.True(result.IsValid, "expected a valid config, got:\n" + string.Join('\n', result.Diagnostics));
        return result.Config!;
    }

    /// <summary>The one error whose message contains <paramref name="fragment"/>.</summary>
    public static ConfigDiagnostic Error(ConfigLoadResult result, string fragment)
    {
        Assert.False(result.IsValid);
        Assert.Null(result.Config);
        var matches = result.Errors.Where(e => e.Message.Contains(fragment, StringComparison.Ordinal)).ToList();
        Assert.True(matches.Count == 1, $"expected one error containing \"{fragment}\", got:\n" + string.Join('\n', result.Diagnostics));
        return matches[0];
    }

    public static ConfigDiagnostic Error(string yaml, string fragment, IReadOnlyDictionary<string, string>? env = null) =>
        Error(Load(yaml, env), fragment);

    /// <summary>The one warning whose message contains <paramref name="fragment"/>.</summary>
    public static ConfigDiagnostic Warning(ConfigLoadResult result, string fragment)
    {
        var matches = result.Warnings.Where(w => w.Message.Contains(fragment, StringComparison.Ordinal)).ToList();
        Assert.True(matches.Count == 1, $"expected one warning containing \"{fragment}\", got:\n" + string.Join('\n', result.Diagnostics));
        return matches[0];
    }

    /// <summary>1-based line of the first line of <paramref name="yaml"/> that starts with <paramref name="prefix"/> (after indentation).</summary>
    public static int LineOf(string yaml, string prefix)
    {
        var lines = yaml.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].TrimStart().StartsWith(prefix, StringComparison.Ordinal))
            {
                return i + 1;
            }
        }
        throw new InvalidOperationException($"no line starts with '{prefix}'");
    }
}
