using ModelSwap.Core.Catalog.Gguf;

namespace ModelSwap.Core.Tests.Catalog.Gguf;

public sealed class GgufRoundTripTests
{
    /// <summary>A writer holding every value type, nested arrays and tensors of three types.</summary>
    internal static GgufWriter EveryTypeWriter(uint version = 3)
    {
        var writer = new GgufWriter(version);
        writer.Set("general.architecture", GgufValue.String("llama"));
        writer.Set("t.u8", GgufValue.UInt8(250));
        writer.Set("t.i8", GgufValue.Int8(-120));
        writer.Set("t.u16", GgufValue.UInt16(65000));
        writer.Set("t.i16", GgufValue.Int16(-32000));
        writer.Set("t.u32", GgufValue.UInt32(4_000_000_000));
        writer.Set("t.i32", GgufValue.Int32(-2_000_000_000));
        writer.Set("t.f32", GgufValue.Float32(3.25f));
        writer.Set("t.bool", GgufValue.Bool(true));
        writer.Set("t.str", GgufValue.String("héllo ✓ \u2581world"));
        writer.Set("t.empty", GgufValue.String(""));
        writer.Set("t.u64", GgufValue.UInt64(ulong.MaxValue));
        writer.Set("t.i64", GgufValue.Int64(long.MinValue));
        writer.Set("t.f64", GgufValue.Float64(-1e300));
        writer.Set("t.strs", GgufValue.StringArray(["a", "", "<0x0A>", "\u2581the"]));
        writer.Set("t.bools", GgufValue.Array(new GgufArray(GgufValueType.Bool, new[] { true, false, true })));
        writer.Set("t.f64s", GgufValue.Array(new GgufArray(GgufValueType.Float64, new[] { 1.5, -2.5 })));
        writer.Set("t.u8s", GgufValue.Array(new GgufArray(GgufValueType.UInt8, Array.Empty<byte>())));
        writer.Set("t.nested", GgufValue.Array(new GgufArray(GgufValueType.Array, new[]
        {
            new GgufArray(GgufValueType.String, new[] { "x", "y" }),
            new GgufArray(GgufValueType.Int64, new[] { 1L, -1L }),
            new GgufArray(GgufValueType.Array, new[] { new GgufArray(GgufValueType.Int16, new short[] { 7 }) }),
        })));
        writer.AddTensor("a.weight", [3], [1f, 2f, 3f]);
        writer.AddTensor("b.weight", [4, 2], GgmlType.F16, stream => GgufWriter.WriteElements(stream, new float[8], GgmlType.F16));
        writer.AddTensor("c.weight", [32, 2], GgmlType.Q8_0, new byte[68]);
        return writer;
    }

    internal static byte[] Bytes(GgufWriter writer)
    {
        using var stream = new MemoryStream();
        writer.WriteTo(stream);
        return stream.ToArray();
    }

    [Fact]
    public void EveryValueTypeAndTensorInfoSurvivesARoundTrip()
    {
        var writer = EveryTypeWriter();
        var bytes = Bytes(writer);

        var file = GgufReader.Read(new MemoryStream(bytes));

        Assert.Equal(3u, file.Version);
        // Same keys in the same order, then the alignment the writer adds.
        Assert.Equal([.. writer.Metadata.Keys, "general.alignment"], file.Metadata.Keys);
        foreach (var (key, value) in writer.Metadata)
        {
            Assert.Equal(value, file.Metadata[key]);
        }
        Assert.Equal(32u, file.Alignment);
        Assert.Equal(["a.weight", "b.weight", "c.weight"], file.Tensors.Select(t => t.Name));
        Assert.Equal([4L, 2L], file.Tensors[1].Dimensions);
        Assert.Equal([GgmlType.F32, GgmlType.F16, GgmlType.Q8_0], file.Tensors.Select(t => t.Type));
        // Offsets are the padded running totals: 12 bytes -> 32, 16 bytes -> 32, then 68.
        Assert.Equal([0ul, 32ul, 64ul], file.Tensors.Select(t => t.Offset));
        Assert.Equal(0, file.DataOffset % 32);
        Assert.Equal(file.DataOffset + 64 + 96, bytes.Length);
        Assert.Equal(3 + 8 + 64, file.ParameterCount);
    }

    [Fact]
    public void TensorDataIsWhereTheHeaderSaysAndHeaderIsReadFromAFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"modelswap-rt-{Guid.NewGuid():N}.gguf");
        try
        {
            EveryTypeWriter().WriteTo(path);
            var file = GgufReader.Read(path);
            var bytes = File.ReadAllBytes(path);
            var a = file.Tensors[0];
            var data = bytes.AsSpan((int)(file.DataOffset + (long)a.Offset), 12);
            Assert.Equal([1f, 2f, 3f], System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(data).ToArray());
            Assert.Empty(Directory.GetFiles(Path.GetTempPath(), $".{Path.GetFileName(path)}*")); // no temporary left behind
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void VersionTwoAndNonSeekableStreamsAreRead()
    {
        var bytes = Bytes(EveryTypeWriter(version: 2));
        var file = GgufReader.Read(new NonSeekableStream(bytes));
        Assert.Equal(2u, file.Version);
        Assert.Equal("héllo ✓ \u2581world", file.GetString("t.str"));
        Assert.Equal(3, file.Tensors.Count);
    }

    [Fact]
    public void AccessorsConvertBetweenIntegerWidthsAndReturnNullWhenAbsentOrMistyped()
    {
        var file = GgufReader.Read(new MemoryStream(Bytes(EveryTypeWriter())));
        Assert.Equal("llama", file.Architecture);
        Assert.Equal(250ul, file.GetUInt64("t.u8"));
        Assert.Equal(4_000_000_000u, file.GetUInt32("t.u32"));
        Assert.Null(file.GetUInt32("t.u64")); // does not fit
        Assert.Null(file.GetUInt64("t.i8")); // negative
        Assert.Equal(-120L, file.GetInt64("t.i8"));
        Assert.Equal(3.25, file.GetDouble("t.f32"));
        Assert.True(file.GetBool("t.bool"));
        Assert.Null(file.GetString("t.u8"));
        Assert.Null(file.GetString("missing"));
        Assert.Null(file.GetUInt64("missing"));
        Assert.Equal(["a", "", "<0x0A>", "\u2581the"], file.GetStringArray("t.strs")!);
        Assert.Null(file.GetStringArray("t.bools"));
        var nested = file.GetArray("t.nested")!;
        Assert.Equal(GgufValueType.Array, nested.ElementType);
        Assert.Equal(["x", "y"], nested.As<GgufArray>()![0].As<string>()!);
        Assert.Equal("[a, , <0x0A>, \u2581the]", file.Get("t.strs")!.ToString());
    }

    [Fact]
    public void WriterRejectsDataOfTheWrongSizeAndShapesThatAreNotWholeBlocks()
    {
        var writer = new GgufWriter();
        writer.AddTensor("x", [4], GgmlType.F32, new byte[15]);
        Assert.Throws<InvalidOperationException>(() => writer.WriteTo(new MemoryStream()));
        Assert.Throws<ArgumentException>(() => new GgufWriter().AddTensor("q", [30], GgmlType.Q8_0, new byte[34]));
        Assert.Throws<ArgumentException>(() => new GgufWriter().Set("general.alignment", GgufValue.UInt32(24)));
        Assert.Throws<ArgumentException>(() => new GgufArray(GgufValueType.String, new[] { 1, 2 }));
    }
}
