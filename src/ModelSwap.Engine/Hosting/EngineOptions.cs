namespace ModelSwap.Engine.Hosting;

/// <summary>What `modelswap engine` serves and how. Validate before use: <see cref="Validate"/>.</summary>
internal sealed record EngineOptions
{
    /// <summary>The GGUF model file to serve.</summary>
    public required string ModelPath { get; init; }

    /// <summary>Address to listen on: an IP address or `localhost`.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one (see <see cref="EngineHost.BaseAddress"/>).</summary>
    public int Port { get; init; }

    /// <summary>
    /// Tokens one request may hold (prompt + completion), like Ollama's num_ctx. The KV cache holds
    /// this many tokens for each of the <see cref="Parallel"/> slots. Null: the model's trained
    /// context, at most <see cref="DefaultMaxContextSize"/>.
    /// </summary>
    public int? ContextSize { get; init; }

    /// <summary>CPU threads for decoding; by default the physical cores, as llama-server chooses.</summary>
    public int Threads { get; init; } = DefaultThreads.ForThisMachine();

    /// <summary>Requests generated at once (continuous batching); more wait in a queue.</summary>
    public int Parallel { get; init; } = 4;

    /// <summary>Serve `/v1/embeddings` (adds a second, pooled context).</summary>
    public bool Embeddings { get; init; }

    /// <summary>Serve `/v1/rerank` with a reranker model (adds a rank-pooled context), as llama-server's --reranking.</summary>
    public bool Reranking { get; init; }

    /// <summary>A vision projector (mmproj GGUF) paired with the model, as llama-server's --mmproj: chat content may then hold images.</summary>
    public string? ProjectorPath { get; init; }

    /// <summary>Fetch images named by http(s) URL in content, as llama-server does; false (--no-image-urls): data URLs only.</summary>
    public bool ImageUrls { get; init; } = true;

    /// <summary>
    /// Folder of llama.cpp libraries built for this CPU (scripts/build-engine-natives.sh), or
    /// "prebuilt"; null: MODELSWAP_ENGINE_NATIVES, else the build script's cache when present (see <see cref="NativeLibraries"/>).
    /// </summary>
    public string? NativeDirectory { get; init; }

    /// <summary>Model id reported by `/v1/models` and in responses; default: the file name.</summary>
    public string? Alias { get; init; }

    /// <summary>Context size used when neither the user nor the model says otherwise, and the cap on the model's own value.</summary>
    public const int DefaultMaxContextSize = 4096;

    /// <summary>Upper bounds that keep a typo from allocating the whole machine.</summary>
    internal const int MaxThreads = 512;
    internal const int MaxParallel = 256;
    internal const int MaxContextSize = 1 << 20;

    /// <summary>Test hook: awaited before the model loads, so tests can observe the loading state.</summary>
    internal Func<CancellationToken, Task>? BeforeLoad { get; init; }

    /// <summary>Every problem with these options, each naming the option; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(ModelPath))
            errors.Add("--model: a GGUF file path is required");
        if (string.IsNullOrWhiteSpace(Host))
            errors.Add("--host: must not be empty");
        else if (!string.Equals(Host, "localhost", StringComparison.OrdinalIgnoreCase) && !System.Net.IPAddress.TryParse(Host, out _))
            errors.Add($"--host: '{Host}' is not an IP address or 'localhost'");
        if (Port is < 0 or > 65535)
            errors.Add($"--port: {Port} is not a TCP port (0-65535)");
        if (ContextSize is { } ctx && (ctx < 16 || ctx > MaxContextSize))
            errors.Add($"--ctx-size: {ctx} is out of range (16-{MaxContextSize})");
        if (Threads is < 1 or > MaxThreads)
            errors.Add($"--threads: {Threads} is out of range (1-{MaxThreads})");
        if (Parallel is < 1 or > MaxParallel)
            errors.Add($"--parallel: {Parallel} is out of range (1-{MaxParallel})");
        if (ProjectorPath is not null && string.IsNullOrWhiteSpace(ProjectorPath))
            errors.Add("--mmproj: must not be empty");
        if (NativeDirectory is not null && string.IsNullOrWhiteSpace(NativeDirectory))
            errors.Add("--native-dir: must not be empty");
        if (Alias is not null && string.IsNullOrWhiteSpace(Alias))
            errors.Add("--alias: must not be empty");
        return errors;
    }

    /// <summary>The model id clients see.</summary>
    public string ModelId => Alias ?? Path.GetFileName(ModelPath);
}
