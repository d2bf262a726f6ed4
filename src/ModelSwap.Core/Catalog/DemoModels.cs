using ModelSwap.Core.Catalog.Gguf;

namespace ModelSwap.Core.Catalog;

/// <summary>
/// The models `serve --demo` serves so ModelSwap works offline with nothing installed: a tiny chat
/// model and a tiny embedding model with random weights (they answer, but not sensibly), written
/// into a `modelswap-demo` folder of the models directory when absent.
/// </summary>
internal static class DemoModels
{
    public const string Folder = "modelswap-demo";
    public const string ChatFile = "demo-chat-tiny.gguf";
    public const string EmbeddingFile = "demo-embed-tiny.gguf";

    /// <summary>Writes the missing demo files; returns the paths it wrote (none when both exist).</summary>
    public static IReadOnlyList<string> Ensure(string modelsDirectory)
    {
        var folder = Path.Combine(modelsDirectory, Folder);
        Directory.CreateDirectory(folder);
        var written = new List<string>();
        var chat = Path.Combine(folder, ChatFile);
        if (!File.Exists(chat))
        {
            TinyModelBuilder.Write(chat, new TinyModelOptions { Name = "demo-chat-tiny", Seed = 7 });
            MarkSettled(chat);
            written.Add(chat);
        }
        var embedding = Path.Combine(folder, EmbeddingFile);
        if (!File.Exists(embedding))
        {
            TinyModelBuilder.Write(embedding, new TinyModelOptions { Name = "demo-embed-tiny", Embedding = true, Seed = 11 });
            MarkSettled(embedding);
            written.Add(embedding);
        }
        return written;
    }

    /// <summary>
    /// The writer renames a finished file into place, so it is complete: date it back past the
    /// scanner's settle time, which otherwise holds a just-written file back as "still copying".
    /// </summary>
    private static void MarkSettled(string path) => File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(-1));
}
