namespace ModelSwap.Core.Catalog.Gguf;

/// <summary>
/// Writes a tiny vision projector (mmproj) with random weights: a LLaVA-style CLIP (`clip`
/// architecture, projector type `mlp`, the smallest one llama.cpp's mtmd loads) whose output width
/// matches a tiny text model's embedding, so tests can pair it with a generated model and send
/// images. Its image is <see cref="ImageSize"/> pixels square in patches of <see cref="PatchSize"/>,
/// so every image becomes <see cref="ImageTokens"/> embeddings.
/// </summary>
internal static class TinyProjectorBuilder
{
    public const int ImageSize = 28;
    public const int PatchSize = 14;
    public const int ImageTokens = ImageSize / PatchSize * (ImageSize / PatchSize);
    private const int Width = 32;
    private const int FeedForward = 64; // unlike the width, so llama.cpp's legacy up/down swap check leaves them as written
    private const int Layers = 2;

    /// <param name="textEmbedding">The paired text model's embedding width (64 for <see cref="TinyModelSize.Tiny"/>).</param>
    public static void Write(string path, int textEmbedding = 64, int seed = 7)
    {
        var writer = new GgufWriter();
        writer.Set("general.architecture", GgufValue.String("clip"));
        writer.Set("general.name", GgufValue.String("tiny-mmproj"));
        writer.Set("general.file_type", GgufValue.UInt32(0));
        writer.Set("clip.has_text_encoder", GgufValue.Bool(false));
        writer.Set("clip.has_vision_encoder", GgufValue.Bool(true));
        writer.Set("clip.has_llava_projector", GgufValue.Bool(true));
        writer.Set("clip.projector_type", GgufValue.String("mlp"));
        writer.Set("clip.use_gelu", GgufValue.Bool(true));
        writer.Set("clip.vision.image_size", GgufValue.UInt32(ImageSize));
        writer.Set("clip.vision.patch_size", GgufValue.UInt32(PatchSize));
        writer.Set("clip.vision.embedding_length", GgufValue.UInt32(Width));
        writer.Set("clip.vision.feed_forward_length", GgufValue.UInt32(FeedForward));
        writer.Set("clip.vision.projection_dim", GgufValue.UInt32((uint)textEmbedding));
        writer.Set("clip.vision.block_count", GgufValue.UInt32(Layers));
        writer.Set("clip.vision.attention.head_count", GgufValue.UInt32(2));
        writer.Set("clip.vision.attention.layer_norm_epsilon", GgufValue.Float32(1e-5f));
        writer.Set("clip.vision.image_mean", GgufValue.Float32Array([0.5f, 0.5f, 0.5f]));
        writer.Set("clip.vision.image_std", GgufValue.Float32Array([0.5f, 0.5f, 0.5f]));

        void Random(string name, params long[] dimensions)
        {
            var count = dimensions.Aggregate(1L, (a, b) => a * b);
            var random = new DeterministicRandom(seed, name);
            var scale = 1f / MathF.Sqrt(dimensions[0]);
            writer.AddTensor(name, dimensions, Enumerable.Range(0, (int)count).Select(_ => random.NextSigned() * scale).ToArray());
        }
        void Fill(string name, long length, float value) => writer.AddTensor(name, [length], Enumerable.Repeat(value, (int)length).ToArray());

        // ggml dimension order: a conv kernel is [kw, kh, in channels, out channels], a matrix [inputs, outputs].
        Random("v.patch_embd.weight", PatchSize, PatchSize, 3, Width);
        Fill("v.patch_embd.bias", Width, 0f);
        Random("v.position_embd.weight", Width, ImageTokens);
        Fill("v.pre_ln.weight", Width, 1f);
        Fill("v.pre_ln.bias", Width, 0f);
        for (var layer = 0; layer < Layers; layer++)
        {
            var p = $"v.blk.{layer}.";
            Fill(p + "ln1.weight", Width, 1f);
            Fill(p + "ln1.bias", Width, 0f);
            foreach (var part in new[] { "attn_q", "attn_k", "attn_v", "attn_out" })
            {
                Random(p + part + ".weight", Width, Width);
                Fill(p + part + ".bias", Width, 0f);
            }
            Fill(p + "ln2.weight", Width, 1f);
            Fill(p + "ln2.bias", Width, 0f);
            Random(p + "ffn_up.weight", Width, FeedForward);
            Fill(p + "ffn_up.bias", FeedForward, 0f);
            Random(p + "ffn_down.weight", FeedForward, Width);
            Fill(p + "ffn_down.bias", Width, 0f);
        }
        Random("mm.0.weight", Width, textEmbedding);
        Fill("mm.0.bias", textEmbedding, 0f);
        Random("mm.2.weight", textEmbedding, textEmbedding);
        Fill("mm.2.bias", textEmbedding, 0f);
        writer.WriteTo(path);
    }
}
