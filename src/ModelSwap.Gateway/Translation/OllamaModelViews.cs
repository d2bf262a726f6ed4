using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using ModelSwap.Gateway.Swapping;

namespace ModelSwap.Gateway.Translation;

/// <summary>The entries of Ollama's /api/tags and /api/ps for one model.</summary>
internal static class OllamaModelViews
{
    /// <summary>Ollama's way of saying "never unloads" in expires_at: a date far away.</summary>
    public static readonly DateTimeOffset Forever = new(2318, 11, 30, 0, 0, 0, TimeSpan.Zero);

    public static JsonObject Tag(OllamaModelFacts model) => new()
    {
        ["name"] = OllamaModelNames.Display(model.Id),
        ["model"] = OllamaModelNames.Display(model.Id),
        ["modified_at"] = OllamaReplies.Timestamp(model.ModifiedAt),
        ["size"] = model.SizeBytes,
        ["digest"] = Digest(model),
        ["details"] = Details(model),
    };

    public static JsonObject Running(OllamaModelFacts model, DateTimeOffset now)
    {
        var live = model.Live;
        var expires = live?.IdleUntil
            ?? (live?.IdleTimeout is { } timeout ? now + timeout : Forever);
        var vram = VramBytes(live);
        return new JsonObject
        {
            ["name"] = OllamaModelNames.Display(model.Id),
            ["model"] = OllamaModelNames.Display(model.Id),
            // Ollama's size is the whole footprint, RAM and VRAM together; size_vram the part on the GPU.
            ["size"] = (model.ResidentBytes ?? model.SizeBytes) + vram,
            ["digest"] = Digest(model),
            ["details"] = Details(model),
            ["expires_at"] = OllamaReplies.Timestamp(expires),
            ["size_vram"] = vram,
            ["context_length"] = model.ContextSize ?? 0,
        };
    }

    /// <summary>
    /// The model's GPU memory: what nvidia-smi or rocm-smi measures its processes holding, else the
    /// estimate's GPU part (its offloaded layers' share, counted only when a GPU was detected and the
    /// server offloads: llama-server with -ngl). 0 on CPU: the engine, or no GPU.
    /// </summary>
    public static long VramBytes(ModelStatus? live) =>
        live?.Measured?.GpuBytes is > 0 and var measured ? measured : Math.Max(0, live?.Estimate?.GpuBytes ?? 0);

    public static JsonObject Details(OllamaModelFacts model)
    {
        var family = model.Architecture ?? "";
        return new JsonObject
        {
            ["parent_model"] = "",
            ["format"] = "gguf",
            ["family"] = family,
            ["families"] = family.Length == 0 ? null : new JsonArray(family),
            ["parameter_size"] = ParameterSize(model.Parameters),
            ["quantization_level"] = model.Quantization?.ToUpperInvariant() ?? "",
        };
    }

    /// <summary>
    /// The file's sha256 when ModelSwap downloaded it; otherwise a hash of path, size and date, which
    /// changes when the file does (hashing gigabytes on every listing is not an option).
    /// </summary>
    public static string Digest(OllamaModelFacts model)
    {
        if (model.Sha256 is { Length: 64 } sha)
        {
            return sha.ToLowerInvariant();
        }
        var identity = $"{model.Path ?? model.Id}\n{model.SizeBytes}\n{model.ModifiedAt.ToUnixTimeMilliseconds()}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)));
    }

    /// <summary>Ollama's "7.6B", "494.0M".</summary>
    public static string ParameterSize(long? parameters) => parameters switch
    {
        null or <= 0 => "",
        >= 1_000_000_000 => (parameters.Value / 1e9).ToString("0.0", CultureInfo.InvariantCulture) + "B",
        >= 1_000_000 => (parameters.Value / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + "M",
        _ => (parameters.Value / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + "K",
    };

    public static bool IsLoaded(OllamaModelFacts model) =>
        model.Live?.State is ModelState.Ready or ModelState.Starting;
}
