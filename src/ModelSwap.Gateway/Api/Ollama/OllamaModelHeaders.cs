using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Gateway.Translation;

namespace ModelSwap.Gateway.Api.Ollama;

/// <summary>The GGUF header behind an Ollama model name, for /api/show and the fill-in-the-middle check.</summary>
internal static class OllamaModelHeaders
{
    /// <summary>Scalars only: the check before each fill-in-the-middle request must not build a 150k-token vocabulary.</summary>
    private static readonly GgufReadLimits ScalarsOnly = new() { KeepArraysUpTo = OllamaShowView.ShownArrayLength };

    /// <summary>
    /// The header, with the vocabulary when <paramref name="vocabulary"/> (the stop strings are token
    /// texts); null when ModelSwap sees no file for the model (a custom command).
    /// </summary>
    public static GgufFile? Read(OllamaModelFacts model, bool vocabulary) =>
        model.Path is { } path && File.Exists(path) ? GgufReader.Read(path, vocabulary ? GgufReadLimits.Default : ScalarsOnly) : null;

    public static bool IsReadFailure(Exception ex) => ex is GgufFormatException or IOException or UnauthorizedAccessException;
}
