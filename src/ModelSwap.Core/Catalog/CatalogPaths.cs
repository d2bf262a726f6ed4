namespace ModelSwap.Core.Catalog;

/// <summary>The folders and files model discovery uses by default, from the environment.</summary>
public static class CatalogPaths
{
    public const string ModelsDirectoryVariable = "MODELSWAP_MODELS_DIR";
    public const string HomeVariable = "MODELSWAP_HOME";
    /// <summary>The user's per-model settings, kept across regenerations, in the home folder.</summary>
    public const string OverridesFileName = "models.yaml";
    /// <summary>The config written from the models folders, in the home folder.</summary>
    public const string GeneratedConfigFileName = "config.generated.yaml";

    /// <summary><c>MODELSWAP_MODELS_DIR</c>, else <c>~/.clara/llama-models</c>.</summary>
    public static string DefaultModelsDirectory(Func<string, string?>? environment = null) =>
        FromEnvironment(environment, ModelsDirectoryVariable) ?? Path.Combine(UserHome(), ".clara", "llama-models");

    /// <summary><c>MODELSWAP_HOME</c>, else <c>~/.modelswap</c>: state such as models.yaml and the generated config.</summary>
    public static string DefaultHome(Func<string, string?>? environment = null) =>
        FromEnvironment(environment, HomeVariable) ?? Path.Combine(UserHome(), ".modelswap");

    /// <summary><c>models/</c> next to the executable: models shipped with ModelSwap.</summary>
    public static string BundledModelsDirectory => Path.Combine(AppContext.BaseDirectory, "models");

    private static string? FromEnvironment(Func<string, string?>? environment, string name) =>
        (environment ?? Environment.GetEnvironmentVariable)(name) is { Length: > 0 } value ? Path.GetFullPath(ExpandHome(value)) : null;

    /// <summary>A leading <c>~</c> means the user's home, as in a shell (env values are not shell-expanded when quoted).</summary>
    public static string ExpandHome(string path) =>
        path == "~" ? UserHome()
        : path.StartsWith("~/", StringComparison.Ordinal) || path.StartsWith("~\\", StringComparison.Ordinal) ? Path.Combine(UserHome(), path[2..])
        : path;

    private static string UserHome() => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
}
