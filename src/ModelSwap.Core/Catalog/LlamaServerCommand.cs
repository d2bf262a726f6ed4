using System.Globalization;

namespace ModelSwap.Core.Catalog;

/// <summary>
/// The llama-server command line for one discovered model. It passes only what the model needs and
/// llama-server would not work out by itself:
/// <list type="bullet">
/// <item>embedding models: <c>--embeddings</c>, <c>--pooling</c> only when the GGUF declares none
/// (<see cref="PoolingDefaults"/>), and <c>-ub</c>/<c>-b</c> equal to the context, because with
/// embeddings llama-server otherwise caps an input at its 512-token batch;</item>
/// <item>rerankers: <c>--reranking</c> (which sets rank pooling) and the same batch sizes;</item>
/// <item>a paired projector: <c>--mmproj</c>;</item>
/// <item>a GPU build: <c>-ngl</c> (models.yaml, default every layer) and, with a draft, <c>-ngld</c>;
/// a CPU build gets no GPU flag;</item>
/// <item>a draft model: <c>-md FILE</c> (its context follows the target's in llama-server), and on
/// builds that have it <c>--spec-type draft-simple</c>, without which they load the draft but never use it.</item>
/// </list>
/// Defaults of recent llama-server (<c>--jinja</c>) are not passed.
/// </summary>
internal static class LlamaServerCommand
{
    /// <summary>What <c>-ngl</c> gets when models.yaml sets no number: more layers than any model has, i.e. all.</summary>
    public const int AllLayers = 999;

    public static IReadOnlyList<string> Arguments(string server, DiscoveredModel model, ModelOverride own, GeneratorSettings settings,
        int context, DiscoveredModel? draft)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(own);
        ArgumentNullException.ThrowIfNull(settings);
        var args = new List<string>
        {
            server, "--host", "127.0.0.1", "--port", "${PORT}", "-m", model.Path,
            "--ctx-size", Invariant(context), "--alias", model.Name,
        };
        if (model.IsReranker)
        {
            args.Add("--reranking");
            args.AddRange(["-ub", Invariant(context), "-b", Invariant(context)]);
        }
        else if (model.IsEmbedding)
        {
            args.Add("--embeddings");
            if (PoolingDefaults.ToPass(model) is { } pooling)
            {
                args.AddRange(["--pooling", PoolingDefaults.FlagValue(pooling)]);
            }
            args.AddRange(["-ub", Invariant(context), "-b", Invariant(context)]);
        }
        if (model.ProjectorPath is { } projector)
        {
            args.AddRange(["--mmproj", projector]);
        }
        var layers = own.GpuLayers ?? settings.GpuLayers ?? AllLayers;
        if (settings.LlamaServerGpu)
        {
            args.AddRange(["-ngl", Invariant(layers)]);
        }
        if (draft is not null)
        {
            args.AddRange(["-md", draft.Path]);
            if (settings.LlamaServerSpecType)
            {
                // Newer builds load the draft but draft with it only when told which kind of drafting.
                args.AddRange(["--spec-type", "draft-simple"]);
            }
            if (settings.LlamaServerGpu)
            {
                args.AddRange(["-ngld", Invariant(layers)]);
            }
        }
        return args;
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
