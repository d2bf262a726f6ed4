namespace ModelSwap.Engine.Api;

/// <summary>
/// The image format from its first bytes. A fetched image is trusted by what it is, not by the server's
/// Content-Type: many hosts send images as application/octet-stream.
/// </summary>
internal static class ImageSniffer
{
    /// <summary>The media type of a PNG, JPEG, GIF or BMP (what llama.cpp's decoder reads); null for anything else.</summary>
    public static string? MediaType(ReadOnlySpan<byte> data)
    {
        if (data.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
            return "image/png";
        if (data.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
            return "image/jpeg";
        if (data.StartsWith("GIF87a"u8) || data.StartsWith("GIF89a"u8))
            return "image/gif";
        if (data.Length >= 14 && data.StartsWith("BM"u8))
            return "image/bmp";
        return null;
    }
}
