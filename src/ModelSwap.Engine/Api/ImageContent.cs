using System.Text.Json;

namespace ModelSwap.Engine.Api;

/// <summary>
/// Reads image content parts into <see cref="PromptImage"/>s: chat's `image_url` ({"url": …} or a
/// string), the Responses API's `input_image` (`image_url` string) and Anthropic's `image` block
/// (`source` of type base64 or url). Images come inline as base64 data URLs, or as http(s) URLs that
/// <see cref="ImageFetcher"/> downloads later (only once the model is known to take images).
/// Media types are the ones llama.cpp's image decoder reads.
/// </summary>
internal static class ImageContent
{
    private static readonly string[] MediaTypes = ["image/png", "image/jpeg", "image/jpg", "image/gif", "image/bmp"];

    /// <summary>A chat `image_url` part or a Responses `input_image` part.</summary>
    public static PromptImage FromImageUrlPart(JsonElement part, string where, string param)
    {
        if (JsonFields.TryGet(part, "file_id", out _) && !JsonFields.TryGet(part, "image_url", out _))
            throw ApiException.BadRequest($"'{where}.file_id': the engine keeps no files; send the image inline as a data URL in 'image_url'.", param, "invalid_image");
        if (!JsonFields.TryGet(part, "image_url", out var image))
            throw ApiException.BadRequest($"'{where}.image_url' is required.", param, "invalid_image");
        var urlWhere = where + ".image_url";
        if (image.ValueKind == JsonValueKind.Object)
        {
            urlWhere += ".url";
            image = JsonFields.TryGet(image, "url", out var url) ? url : default;
        }
        if (image.ValueKind != JsonValueKind.String)
            throw ApiException.BadRequest($"'{urlWhere}' must be a string (a data URL such as data:image/png;base64,…, or an http(s) URL).", param, "invalid_image");
        return FromUrl(image.GetString()!, urlWhere, param);
    }

    /// <summary>An Anthropic `image` block: {"source": {"type": "base64", "media_type", "data"}}.</summary>
    public static PromptImage FromAnthropicBlock(JsonElement block, string where)
    {
        if (!JsonFields.TryGet(block, "source", out var source) || source.ValueKind != JsonValueKind.Object)
            throw ApiException.BadRequest($"'{where}.source' must be an object.", "messages", "invalid_image");
        var type = JsonFields.String(source, "type");
        if (type == "url")
        {
            return FromUrl(JsonFields.String(source, "url") ?? "", where + ".source.url", "messages");
        }
        if (type != "base64")
            throw ApiException.BadRequest($"'{where}.source.type' is '{type ?? "(none)"}'; the engine reads base64 images only.", "messages", "invalid_image");
        var mediaType = JsonFields.String(source, "media_type") ?? "";
        CheckMediaType(mediaType, where + ".source.media_type", "messages");
        return new PromptImage(Decode(JsonFields.String(source, "data") ?? "", where + ".source.data", "messages"), mediaType, where, "messages");
    }

    /// <summary>`data:image/png;base64,…` to its bytes; an http(s) URL to an image still to fetch; any other URL is refused with what to send instead.</summary>
    public static PromptImage FromUrl(string url, string where, string param)
    {
        if (url.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var remote) || string.IsNullOrEmpty(remote.Host))
                throw ApiException.BadRequest($"'{where}' is not a valid URL.", param, "invalid_image_url");
            return PromptImage.ToFetch(remote, where, param);
        }
        if (!url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            throw ApiException.BadRequest(
                $"'{where}' must be a data URL (data:image/png;base64,…) or an http(s) URL.", param, "invalid_image_url");
        }
        var comma = url.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0)
            throw ApiException.BadRequest($"'{where}' is not a valid data URL: it has no ',' before the data.", param, "invalid_image");
        var header = url[5..comma];
        var parts = header.Split(';');
        if (!parts.Skip(1).Any(p => p.Equals("base64", StringComparison.OrdinalIgnoreCase)))
            throw ApiException.BadRequest($"'{where}' must be base64-encoded (data:{parts[0]};base64,…).", param, "invalid_image");
        var mediaType = parts[0].Trim().ToLowerInvariant();
        CheckMediaType(mediaType, where, param);
        return new PromptImage(Decode(url[(comma + 1)..], where, param), mediaType, where, param);
    }

    /// <summary>Refuses a media type llama.cpp cannot decode, naming the part and the ones it can.</summary>
    public static void CheckMediaType(string mediaType, string where, string param)
    {
        if (!MediaTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
        {
            throw ApiException.BadRequest(
                $"'{where}': media type '{(mediaType.Length == 0 ? "(none)" : mediaType)}' is not supported; send image/png, image/jpeg, image/gif or image/bmp.",
                param, "unsupported_media_type");
        }
    }

    private static byte[] Decode(string base64, string where, string param)
    {
        byte[] data;
        try
        {
            data = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            throw ApiException.BadRequest($"'{where}' is not valid base64.", param, "invalid_image");
        }
        if (data.Length == 0)
            throw ApiException.BadRequest($"'{where}' holds no image data.", param, "invalid_image");
        return data;
    }
}
