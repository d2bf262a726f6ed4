using ModelSwap.Core.Configuration.Loading;

namespace ModelSwap.Core.Configuration;

/// <summary>
/// Loads a llama-swap compatible <c>config.yaml</c> into an immutable <see cref="ModelSwapConfig"/>.
/// Never throws for bad input: every problem comes back as a diagnostic with its line and key path.
/// </summary>
public static class ConfigLoader
{
    public static ConfigLoadResult LoadFile(string path, ConfigLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        string yaml;
        try
        {
            if (Directory.Exists(path))
            {
                return Failure(path, "is a directory, not a config file");
            }
            yaml = File.ReadAllText(path);
        }
        catch (FileNotFoundException)
        {
            return Failure(path, "file not found");
        }
        catch (DirectoryNotFoundException)
        {
            return Failure(path, "file not found (its directory does not exist)");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return Failure(path, $"cannot read the file: {ex.Message}");
        }
        return Parse(yaml, path, options);
    }

    public static ConfigLoadResult Parse(string yaml, string sourceName, ConfigLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        ArgumentNullException.ThrowIfNull(sourceName);
        return ConfigReader.Read(yaml, sourceName, options ?? ConfigLoadOptions.Default);
    }

    private static ConfigLoadResult Failure(string path, string message) =>
        new(null, [new ConfigDiagnostic(ConfigSeverity.Error, path, 0, "", message)]);
}
