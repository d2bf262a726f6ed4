using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Core.Catalog.Scanning;

namespace ModelSwap.Core.Memory;

/// <summary>Reads a <see cref="ModelShape"/> from the files on disk: the model (every split part) and its projector.</summary>
public static class ModelShapeReader
{
    /// <summary>Vocabularies are stepped over, not kept: their length is all the estimate needs.</summary>
    private static readonly GgufReadLimits HeaderOnly = GgufReadLimits.Default with { KeepArraysUpTo = 4096 };

    /// <summary>
    /// The shape of the model at <paramref name="modelPath"/> (a single file or any split part). Throws
    /// <see cref="GgufFormatException"/> or <see cref="IOException"/> for a missing or unreadable file.
    /// </summary>
    public static ModelShape Read(string modelPath, string? projectorPath)
    {
        var main = GgufReader.Read(modelPath, HeaderOnly);
        var others = new List<GgufFile>();
        var fileName = Path.GetFileName(modelPath);
        if (SplitName.Parse(fileName) is var (baseName, part, count))
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(modelPath))!;
            if (part != 1)
            {
                // Metadata lives in part 1; any part names the model.
                main = GgufReader.Read(Path.Combine(directory, SplitName.Format(baseName, 1, count)), HeaderOnly);
            }
            for (var i = 2; i <= count; i++)
            {
                others.Add(GgufReader.Read(Path.Combine(directory, SplitName.Format(baseName, i, count)), HeaderOnly));
            }
        }
        var projector = projectorPath is null ? null : GgufReader.Read(projectorPath, HeaderOnly);
        return ModelShape.From(main, others, projector);
    }
}
