using ModelSwap.Core.Catalog.Gguf;

namespace ModelSwap.Core.Tests.Catalog.Gguf;

/// <summary>Thousands of randomly damaged headers: each one reads or fails with GgufFormatException, nothing else.</summary>
public sealed class GgufFuzzTests
{
    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public void MutatedHeadersOnlyEverReadOrFailWithFormatErrors(int seed, bool seekable)
    {
        var original = GgufRoundTripTests.Bytes(GgufRoundTripTests.EveryTypeWriter());
        var headerLength = (int)GgufReader.Read(new MemoryStream(original)).DataOffset;
        var random = new Random(seed);
        int succeeded = 0, rejected = 0;
        for (var round = 0; round < 2500; round++)
        {
            var bytes = (byte[])original.Clone();
            var mutations = random.Next(1, 5);
            for (var m = 0; m < mutations; m++)
            {
                var at = random.Next(headerLength);
                switch (random.Next(4))
                {
                    case 0: bytes[at] ^= (byte)(1 << random.Next(8)); break; // bit flip
                    case 1: bytes[at] = (byte)random.Next(256); break;
                    case 2: bytes[at] = 0xFF; break; // pushes lengths and counts to extremes
                    default: bytes[at] = 0; break;
                }
            }
            if (random.Next(10) == 0)
            {
                bytes = bytes[..random.Next(bytes.Length)];
            }
            var stream = seekable ? (Stream)new MemoryStream(bytes) : new NonSeekableStream(bytes);
            try
            {
                GgufReader.Read(stream);
                succeeded++;
            }
            catch (GgufFormatException)
            {
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"round {round}: {e.GetType().Name}: {e.Message}\nbytes: {Convert.ToHexString(bytes[..headerLength])}");
            }
        }
        // Both outcomes happen: the mutations hit values (still valid) and structure (invalid).
        Assert.True(succeeded > 0 && rejected > 0, $"{succeeded} read, {rejected} rejected");
    }
}
