using ModelSwap.Core.Catalog;
using ModelSwap.Core.Catalog.Gguf;

namespace ModelSwap.Bench.LlamaServer;

/// <summary>
/// The models the draft measurement runs, all generated from one seed: a Bench-size target (8 layers,
/// F32) served three times (its file copied, so ModelSwap sees three models) — alone, with a draft
/// that is the same weights at F16 (the "smaller quant" draft), and with a draft that is a truncated
/// copy (its first layers, F16). Weights depend only on the seed and the tensor name, so both drafts
/// are the target's own weights and agree with it as far as their precision and depth allow.
/// </summary>
internal sealed record DraftModels(string Plain, string WithF16Draft, string WithCutDraft, int CutLayers, long TargetBytes, long F16Bytes, long CutBytes)
{
    private const int Seed = 5;

    /// <summary>Writes the files and the models.yaml lines that pair targets with drafts; returns the served names.</summary>
    public static (DraftModels Models, string Yaml) Write(string models, int cutLayers)
    {
        var target = Path.Combine(models, "target-plain.gguf");
        TinyModelBuilder.Write(target, new TinyModelOptions { Size = TinyModelSize.Bench, Seed = Seed, MatrixType = GgmlType.F32 });
        var withF16 = Path.Combine(models, "target-drafted.gguf");
        var withCut = Path.Combine(models, "target-cutdrafted.gguf");
        File.Copy(target, withF16);
        File.Copy(target, withCut);
        var f16 = Path.Combine(models, "draft-half.gguf");
        TinyModelBuilder.Write(f16, new TinyModelOptions { Size = TinyModelSize.Bench, Seed = Seed, MatrixType = GgmlType.F16 });
        var cut = Path.Combine(models, "draft-cut.gguf");
        TinyModelBuilder.Write(cut, new TinyModelOptions { Size = TinyModelSize.Bench, Seed = Seed, MatrixType = GgmlType.F16, Layers = cutLayers });
        var result = new DraftModels(Name(target), Name(withF16), Name(withCut), cutLayers,
            new FileInfo(target).Length, new FileInfo(f16).Length, new FileInfo(cut).Length);
        var yaml = $"""
              "{result.WithF16Draft}":
                draft: "{Name(f16)}"
              "{result.WithCutDraft}":
                draft: "{Name(cut)}"

            """;
        return (result, yaml);
    }

    /// <summary>The name ModelSwap serves a file under (the same rule its scanner applies).</summary>
    private static string Name(string path) => ModelNaming.NameFor(Path.GetFileName(path), GgufReader.Read(path));
}
