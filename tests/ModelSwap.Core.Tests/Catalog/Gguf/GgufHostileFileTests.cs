using ModelSwap.Core.Catalog.Gguf;

namespace ModelSwap.Core.Tests.Catalog.Gguf;

/// <summary>Corrupt and hostile headers fail with a GgufFormatException naming the problem and its offset, cheaply.</summary>
public sealed class GgufHostileFileTests
{
    private const long CheapAllocation = 2 * 1024 * 1024;

    private static GgufFormatException Fails(byte[] bytes, GgufReadLimits? limits = null)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<GgufFormatException>(() => GgufReader.Read(new MemoryStream(bytes), limits));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated < CheapAllocation, $"rejecting the file allocated {allocated} bytes");
        Assert.Contains($"byte offset {error.Offset}", error.Message);
        return error;
    }

    [Fact]
    public void WrongMagic()
    {
        var error = Fails("GGML\u0003\0\0\0"u8.ToArray());
        Assert.Contains("not a GGUF file", error.Message);
        Assert.Equal(0, error.Offset);
        Assert.Contains("too short", Fails("GG"u8.ToArray()).Message);
        Assert.Contains("too short", Fails([]).Message);
    }

    [Fact]
    public void VersionOneIsRefusedClearlyAndVersionTwoIsRead()
    {
        var error = Fails(RawGguf.Header(version: 1).ToArray());
        Assert.Contains("version 1 is not supported", error.Message);
        Assert.Equal(4, error.Offset);

        Assert.Equal(2u, GgufReader.Read(new MemoryStream(RawGguf.Header(version: 2).ToArray())).Version);
        Assert.Contains("unsupported GGUF version 4", Fails(RawGguf.Header(version: 4).ToArray()).Message);
        Assert.Contains("big-endian", Fails(RawGguf.Header(version: 0x03000000).ToArray()).Message);
    }

    [Fact]
    public void HugeCountsAreRejectedBeforeAllocating()
    {
        var tensors = Fails(RawGguf.Header(tensors: ulong.MaxValue).ToArray());
        Assert.Contains("tensor count", tensors.Message);
        Assert.Equal(8, tensors.Offset);

        var kvs = Fails(RawGguf.Header(kvs: 1_000_000).ToArray());
        Assert.Contains("key-value count is 1000000", kvs.Message);
        Assert.Equal(16, kvs.Offset);

        // Within the limit but more than the file can hold.
        Assert.Contains("only 0 bytes follow", Fails(RawGguf.Header(kvs: 60_000).ToArray()).Message);
    }

    [Fact]
    public void HugeStringLengthsAreRejectedBeforeAllocating()
    {
        var key = Fails(RawGguf.Header(kvs: 1).U64(1UL << 40).Bytes(new byte[16]).ToArray());
        Assert.Contains("the key of metadata entry 0 claims 1099511627776 bytes", key.Message);
        Assert.Equal(24, key.Offset);

        var value = Fails(RawGguf.Header(kvs: 1).Str("general.name").U32(8).U64(5_000_000).Bytes("abc"u8).ToArray());
        Assert.Contains("the value of key 'general.name'", value.Message);
        Assert.Contains("only 3 left", value.Message);

        var tensorName = Fails(RawGguf.Header(tensors: 1).U64(ulong.MaxValue).Bytes(new byte[40]).ToArray());
        Assert.Contains("the name of tensor 0", tensorName.Message);
    }

    [Fact]
    public void HugeArrayLengthsAreRejectedBeforeAllocating()
    {
        var overLimit = Fails(RawGguf.Header(kvs: 1).Str("tokenizer.ggml.tokens").U32(9).U32(8).U64(1UL << 62).ToArray());
        Assert.Contains("claims 4611686018427387904 items", overLimit.Message);

        var overFile = Fails(RawGguf.Header(kvs: 1).Str("tokenizer.ggml.scores").U32(9).U32(6).U64(10_000_000).Bytes(new byte[64]).ToArray());
        Assert.Contains("10000000 items of the value of key 'tokenizer.ggml.scores'", overFile.Message);

        // A nested array claiming many arrays per level.
        var nested = Fails(RawGguf.Header(kvs: 1).Str("n").U32(9).U32(9).U64(1_000_000).U32(9).U64(1_000_000).ToArray());
        Assert.Contains("items of the value of key 'n'", nested.Message);
    }

    [Fact]
    public void NonSeekableStreamsGrowArraysOnlyAsItemsArrive()
    {
        // The claim is within the limits, and no length is known to check it against.
        var bytes = RawGguf.Header(kvs: 1).Str("big").U32(9).U32(4).U64(16_000_000).Bytes(new byte[400]).ToArray();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<GgufFormatException>(() => GgufReader.Read(new NonSeekableStream(bytes)));
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < CheapAllocation);
        Assert.Contains("unexpected end of file", error.Message);
    }

    [Fact]
    public void DeepNestingAndUnknownTypesAreRejected()
    {
        var deep = RawGguf.Header(kvs: 1).Str("deep").U32(9);
        for (var i = 0; i < 20; i++)
        {
            deep.U32(9).U64(1);
        }
        Assert.Contains("nests arrays deeper", Fails(deep.U32(4).U64(0).ToArray()).Message);

        var type = Fails(RawGguf.Header(kvs: 1).Str("k").U32(13).U32(0).ToArray());
        Assert.Contains("the type of key 'k' is 13", type.Message);
        Assert.Equal(24 + 8 + 1, type.Offset);
    }

    [Fact]
    public void DuplicatesBadAlignmentAndBadTensorShapesAreRejected()
    {
        Assert.Contains("duplicate metadata key 'a'", Fails(RawGguf.Header(kvs: 2).KvU32("a", 1).KvU32("a", 2).ToArray()).Message);
        Assert.Contains("general.alignment must be a u32 power of two", Fails(RawGguf.Header(kvs: 1).KvU32("general.alignment", 24).ToArray()).Message);
        Assert.Contains("general.alignment must be a u32 power of two", Fails(RawGguf.Header(kvs: 1).KvU32("general.alignment", 0).ToArray()).Message);
        Assert.Contains("duplicate tensor name 't'", Fails(RawGguf.Header(tensors: 2).Tensor("t", [1]).Tensor("t", [1]).Bytes(new byte[64]).ToArray()).Message);
        Assert.Contains("5 dimensions", Fails(RawGguf.Header(tensors: 1).Tensor("t", [1, 1, 1, 1, 1]).Bytes(new byte[64]).ToArray()).Message);
        Assert.Contains("element count overflow", Fails(RawGguf.Header(tensors: 1).Tensor("t", [1UL << 40, 1UL << 40]).Bytes(new byte[64]).ToArray()).Message);
        Assert.Contains("element count overflow", Fails(RawGguf.Header(tensors: 1).Tensor("t", [ulong.MaxValue]).Bytes(new byte[64]).ToArray()).Message);
    }

    [Fact]
    public void TensorDataPastTheEndOfTheFileIsATruncatedFile()
    {
        // 16 F32 elements need 64 bytes of data; only 8 follow the aligned header.
        var header = RawGguf.Header(tensors: 1).Tensor("w", [16]).ToArray();
        var bytes = header.Concat(new byte[32 - header.Length % 32 + 8]).ToArray();
        var error = Fails(bytes);
        Assert.Contains("tensor 'w'", error.Message);
        Assert.Contains("truncated or still being copied", error.Message);

        // Sizes and offsets near 2^64 do not wrap around into "fits".
        var huge = RawGguf.Header(tensors: 1).Tensor("w", [1UL << 61, 2], offset: ulong.MaxValue - 40).ToArray();
        Assert.Contains("ends past the end of the file", Fails(huge.Concat(new byte[64]).ToArray()).Message);
        Assert.Contains("not a multiple of the type's block of 32", Fails(RawGguf.Header(tensors: 1).Tensor("q", [30], type: 8).Bytes(new byte[64]).ToArray()).Message);

        // An unknown ggml type has no size to check, and is kept as its number.
        var unknown = RawGguf.Header(tensors: 1).Tensor("w", [16], type: 1234).ToArray();
        var file = GgufReader.Read(new MemoryStream(unknown));
        Assert.Equal((GgmlType)1234, file.Tensors[0].Type);
        Assert.Null(file.Tensors[0].ByteSize);
    }

    [Fact]
    public void HeaderByteLimitIsEnforced()
    {
        var bytes = RawGguf.Header(kvs: 1).Str("general.name").U32(8).Str(new string('x', 5000)).ToArray();
        var error = Fails(bytes, new GgufReadLimits { MaxHeaderBytes = 1024 });
        Assert.Contains("1024-byte limit", error.Message);
        Assert.Contains("limit for a string", Fails(bytes, new GgufReadLimits { MaxStringLength = 100 }).Message);
    }

    [Fact]
    public void EveryTruncationOfAValidFileFailsWithAnOffset()
    {
        var bytes = GgufRoundTripTests.Bytes(GgufRoundTripTests.EveryTypeWriter());
        var file = GgufReader.Read(new MemoryStream(bytes));
        // The padding after the last tensor is optional (llama.cpp only needs every tensor's bytes).
        var dataEnd = file.DataOffset + file.Tensors.Max(t => (long)t.Offset + t.ByteSize!.Value);
        Assert.True(GgufReader.Read(new MemoryStream(bytes[..(int)dataEnd])).Tensors.Count == 3);
        for (var length = 0; length < dataEnd; length++)
        {
            var prefix = bytes[..length];
            var error = Assert.Throws<GgufFormatException>(() => GgufReader.Read(new MemoryStream(prefix)));
            Assert.InRange(error.Offset, 0, length);
            if (length <= file.DataOffset - file.Alignment)
            {
                // Without a known length, a cut inside metadata or tensor infos (not the padding after
                // them, which is never read) is still a format error, not EndOfStream.
                Assert.Throws<GgufFormatException>(() => GgufReader.Read(new NonSeekableStream(prefix)));
            }
        }
    }

    [Fact]
    public void ReadingAPathNamesTheFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"modelswap-bad-{Guid.NewGuid():N}.gguf");
        File.WriteAllBytes(path, RawGguf.Header(version: 1).ToArray());
        try
        {
            var error = Assert.Throws<GgufFormatException>(() => GgufReader.Read(path));
            Assert.Equal(path, error.FilePath);
            Assert.Contains(path, error.Message);
            Assert.Contains("version 1", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
