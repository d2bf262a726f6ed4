namespace ModelSwap.Gateway.Management;

/// <summary>The values of <see cref="ModelConfigView.Runtime"/>.</summary>
public static class ModelRuntimes
{
    public const string LlamaServer = "llama-server";
    public const string Engine = "engine";
    public const string Custom = "custom";
}
