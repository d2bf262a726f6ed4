using ModelSwap.Core.Catalog.Gguf;

namespace ModelSwap.Core.Tests.Catalog.Gguf;

/// <summary>KeepArraysUpTo: long arrays are read past, not kept, and everything else reads the same.</summary>
public sealed class GgufOmittedArrayTests
{
    private static byte[] Model()
    {
        using var stream = new MemoryStream();
        TinyModelBuilder.CreateWriter(new TinyModelOptions()).WriteTo(stream);
        return stream.ToArray();
    }

    [Fact]
    public void Long_arrays_are_omitted_and_the_rest_of_the_header_is_identical()
    {
        var bytes = Model();
        var full = GgufReader.Read(new MemoryStream(bytes));
        var lean = GgufReader.Read(new MemoryStream(bytes), GgufReadLimits.Default with { KeepArraysUpTo = 64 });

        var tokens = lean.GetArray("tokenizer.ggml.tokens")!;
        Assert.Equal(0, tokens.Count);
        Assert.Equal(full.GetArray("tokenizer.ggml.tokens")!.Count, tokens.OmittedCount);
        Assert.Equal(0, full.GetArray("tokenizer.ggml.tokens")!.OmittedCount);
        foreach (var (key, value) in full.Metadata.Where(p => p.Value.Type != GgufValueType.Array))
        {
            Assert.Equal(value, lean.Metadata[key]);
        }
        Assert.Equal(full.Tensors, lean.Tensors);
        Assert.Equal(full.DataOffset, lean.DataOffset);
    }

    [Fact]
    public void A_file_cut_inside_an_omitted_array_is_still_reported_as_truncated()
    {
        var bytes = Model();
        var full = GgufReader.Read(new MemoryStream(bytes));
        // Cut halfway into the header: the vocabulary is the bulk of it.
        var cut = bytes[..(int)(full.DataOffset / 2)];
        var error = Assert.Throws<GgufFormatException>(() =>
            GgufReader.Read(new MemoryStream(cut), GgufReadLimits.Default with { KeepArraysUpTo = 64 }));
        Assert.Contains("end of file", error.Message);
    }
}
