namespace ModelSwap.Gateway.Translation;

/// <summary>
/// Ollama sends images as bare base64; OpenAI servers want data URLs with a media type, which is
/// read from the image's first bytes (a client never says which it is).
/// </summary>
internal static class OllamaImages
{
    public static string ToDataUrl(string base64)
    {
        var trimmed = base64.Trim();
        if (trimmed.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            return trimmed;
        }
        Span<byte> head = stackalloc byte[12];
        var headText = trimmed.Length >= 16 ? trimmed[..16] : trimmed;
        var mediaType = Convert.TryFromBase64String(headText, head, out var written)
            ? Sniff(head[..written])
            : "image/jpeg";
        return $"data:{mediaType};base64,{trimmed}";
    }

    private static string Sniff(ReadOnlySpan<byte> head) => head switch
    {
        [0x89, (byte)'P', (byte)'N', (byte)'G', ..] => "image/png",
        [(byte)'G', (byte)'I', (byte)'F', ..] => "image/gif",
        [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => "image/webp",
        [(byte)'B', (byte)'M', ..] => "image/bmp",
        _ => "image/jpeg",
    };
}
