namespace ModelSwap.Gateway.Management;

/// <summary>
/// The management operations every face uses (the <c>/api</c> routes, the CLI through them, the
/// dashboard, Ollama's API). Reads come from one <see cref="ModelInventory"/> snapshot; every action
/// that changes what runs or what exists is a message to the coordinator's loop, never a
/// read-then-act on a snapshot. Failures are <see cref="ManagementException"/>s (and the
/// coordinator's own exceptions), which the one exception handler turns into the OpenAI envelope.
/// A model is named by its id or one of its aliases everywhere.
/// </summary>
public interface IModelManagement
{
    /// <summary>Version, uptime, listen URL, config, models folders, runtime, machine.</summary>
    ServiceStatusView GetStatus();

    /// <summary>Every model: the served ones (sorted by id), then files no config entry serves.</summary>
    Task<IReadOnlyList<ModelInfo>> ListAsync(CancellationToken cancellationToken);

    /// <summary>One model by id or alias. Throws <see cref="ManagementException"/> (NotFound).</summary>
    Task<ModelInfo> GetAsync(string model, CancellationToken cancellationToken);

    /// <summary>Starts the model without a request (like preload) and returns once it is ready.</summary>
    Task<ModelInfo> LoadAsync(string model, CancellationToken cancellationToken);

    /// <summary>Stops the model once its in-flight requests end; returns once stopped.</summary>
    Task<ModelInfo> UnloadAsync(string model, CancellationToken cancellationToken);

    /// <summary>Unloads, then loads the model again; returns once it is ready.</summary>
    Task<ModelInfo> RestartAsync(string model, CancellationToken cancellationToken);

    /// <summary>
    /// Retires the model through the coordinator (no new requests, in-flight ones end, it stops, its
    /// files are deleted) and refreshes the catalog, as one step: no request can start it meanwhile.
    /// </summary>
    Task<DeleteOutcome> DeleteAsync(string model, CancellationToken cancellationToken);

    /// <summary>Reloads the config file now (as SIGHUP does); a generated config is regenerated instead.</summary>
    Task<ConfigReloadOutcome> ReloadConfigAsync(CancellationToken cancellationToken);

    /// <summary>Rescans the models folders and applies the generated config. Conflict with a user's config file.</summary>
    Task<RegenerateOutcome> RegenerateConfigAsync(CancellationToken cancellationToken);

    /// <summary>The GGUF metadata and chat template of a model's file. NotFound without a file ModelSwap can see.</summary>
    Task<ModelHeaderView> GetHeaderAsync(string model, CancellationToken cancellationToken);

    /// <summary>
    /// The models that could draft for it (smaller, same family, same GGUF vocabulary; as <c>models show</c>
    /// lists them) and the draft models.yaml sets. NotFound for an unknown model.
    /// </summary>
    Task<ModelDraftsView> GetDraftsAsync(string model, CancellationToken cancellationToken);

    /// <summary>A generated model's settings as models.yaml keeps them. Conflict with a user's config file.</summary>
    Task<ModelSettingsView> GetSettingsAsync(string model, CancellationToken cancellationToken);

    /// <summary>
    /// Validates and saves a generated model's settings in models.yaml (comments kept), then regenerates:
    /// the change hot-reloads. <see cref="InvalidSettingsException"/> (by field) when a value is
    /// refused (the file untouched); Conflict with a user's config file.
    /// </summary>
    Task<ModelSettingsView> SaveSettingsAsync(string model, ModelSettings settings, CancellationToken cancellationToken);

    /// <summary>CPU and memory of the gateway and each model process over the last hour, oldest first.</summary>
    ResourceHistoryView GetResources();
}
