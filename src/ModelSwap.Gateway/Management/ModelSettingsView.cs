namespace ModelSwap.Gateway.Management;

/// <summary>A model's settings as models.yaml holds them, and where they are kept.</summary>
/// <param name="Model">The model's name in models.yaml (its generated id).</param>
/// <param name="File">The models.yaml that keeps them.</param>
/// <param name="ServedContextSize">The context its command runs with now (what <c>auto</c> chose, or the setting).</param>
public sealed record ModelSettingsView(
    string Model,
    string File,
    ModelSettings Settings,
    long? ServedContextSize,
    long? TrainedContext);
