using ModelSwap.Core.Memory;

namespace ModelSwap.Core.Tests.Memory;

public sealed class ByteSizeTests
{
    [Theory]
    [InlineData("512", 512L)]
    [InlineData("512B", 512L)]
    [InlineData("4KiB", 4096L)]
    [InlineData("700MiB", 700L * 1024 * 1024)]
    [InlineData("24GiB", 24L * 1024 * 1024 * 1024)]
    [InlineData("1.5 GiB", 1536L * 1024 * 1024)]
    [InlineData("1TiB", 1024L * 1024 * 1024 * 1024)]
    [InlineData("2KB", 2000L)]
    [InlineData("3MB", 3_000_000L)]
    [InlineData("1.5GB", 1_500_000_000L)]
    public void Parses_binary_and_decimal_units(string text, long bytes) =>
        Assert.Equal(bytes, ByteSize.Parse(text, out _));

    [Theory]
    [InlineData("")]
    [InlineData("lots")]
    [InlineData("12 parsecs")]
    [InlineData("-1GiB")]
    [InlineData("8G")]
    public void Rejects_what_is_not_a_size(string text)
    {
        Assert.Null(ByteSize.Parse(text, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Formats_in_binary_units()
    {
        Assert.Equal("2 GiB", ByteSize.Format(2L * 1024 * 1024 * 1024));
        Assert.Equal("1.5 GiB", ByteSize.Format(1536L * 1024 * 1024));
        Assert.Equal("300 MiB", ByteSize.Format(300L * 1024 * 1024));
        Assert.Equal("512 B", ByteSize.Format(512));
    }
}
