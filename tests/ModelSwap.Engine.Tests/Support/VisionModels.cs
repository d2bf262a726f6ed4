using ModelSwap.Core.Catalog.Gguf;

namespace ModelSwap.Engine.Tests.Support;

/// <summary>A generated tiny chat model with a generated projector (mmproj) that fits it, and one that does not.</summary>
public sealed class VisionModels : IDisposable
{
    public VisionModels()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("modelswap-vision-tests-").FullName;
        Chat = Path.Combine(Directory, "tiny-chat.gguf");
        Projector = Path.Combine(Directory, "mmproj-tiny-chat.gguf");
        MismatchedProjector = Path.Combine(Directory, "mmproj-wide.gguf");
        TinyModelBuilder.Write(Chat, new TinyModelOptions { Seed = 11 });
        TinyProjectorBuilder.Write(Projector, textEmbedding: 64);
        TinyProjectorBuilder.Write(MismatchedProjector, textEmbedding: 32);
    }

    public string Directory { get; }
    public string Chat { get; }
    public string Projector { get; }

    /// <summary>Its embeddings are 32 wide; the chat model's are 64.</summary>
    public string MismatchedProjector { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
