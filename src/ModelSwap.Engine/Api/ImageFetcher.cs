using System.Net;
using Microsoft.Extensions.Logging;
using ModelSwap.Engine.Hosting;

namespace ModelSwap.Engine.Api;

/// <summary>
/// Downloads images named by http(s) URL in content parts, as llama-server does, within limits a
/// request cannot stretch: <see cref="MaxBytes"/>, <see cref="Timeout"/> for the whole download, and a
/// body that is an image (sniffed, or served as image/*). Every failure is a 400 naming the part and
/// the URL, since the client chose the URL. `--no-image-urls` turns fetching off.
/// </summary>
internal sealed class ImageFetcher(IHttpClientFactory clients, EngineState state, ILogger<ImageFetcher> logger)
{
    /// <summary>The named HttpClient (configured in <see cref="EngineHost"/>).</summary>
    public const string ClientName = "ModelSwap.Engine.Images";

    /// <summary>OpenAI's own limit per image; llama-server stops at 10 MB.</summary>
    public const int MaxBytes = 20 * 1024 * 1024;

    /// <summary>For the whole download, headers and body, as llama-server's 10 s.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Replaces every image still to fetch in <paramref name="images"/> by its downloaded bytes, in order.</summary>
    public async Task FetchAllAsync(List<PromptImage> images, CancellationToken cancellation)
    {
        for (var i = 0; i < images.Count; i++)
        {
            if (images[i].Remote is not null)
                images[i] = await FetchAsync(images[i], cancellation).ConfigureAwait(false);
        }
    }

    private async Task<PromptImage> FetchAsync(PromptImage image, CancellationToken cancellation)
    {
        var url = image.Remote!;
        if (!state.Options.ImageUrls)
        {
            throw ApiException.BadRequest(
                $"'{image.Where}': this engine does not fetch image URLs (it runs with --no-image-urls); send the image inline as a data URL (data:image/png;base64,…).",
                image.Param, "image_urls_disabled");
        }
        using var timeout = new CancellationTokenSource(Timeout, state.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, timeout.Token);
        byte[] data;
        string? contentType;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.Accept.ParseAdd("image/*");
            using var response = await clients.CreateClient(ClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw Failed(image, $"the server answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd(), "image_download_failed");
            if (response.Content.Headers.ContentLength > MaxBytes)
                throw TooLarge(image, response.Content.Headers.ContentLength.Value);
            contentType = response.Content.Headers.ContentType?.MediaType?.ToLowerInvariant();
            data = await ReadCappedAsync(response.Content, image, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellation.IsCancellationRequested)
        {
            throw Failed(image, $"no complete answer within {Timeout.TotalSeconds:0} s", "image_download_failed");
        }
        catch (HttpRequestException ex)
        {
            throw Failed(image, $"unreachable ({ex.Message})", "image_download_failed");
        }
        catch (IOException ex)
        {
            // The connection broke off mid-body (HttpIOException and its kin): still the URL's fault, not the engine's.
            throw Failed(image, $"the download broke off ({ex.Message})", "image_download_failed");
        }

        if (data.Length == 0)
            throw Failed(image, "the answer holds no data", "invalid_image");
        var mediaType = ImageSniffer.MediaType(data);
        if (mediaType is null)
        {
            if (contentType is null || !contentType.StartsWith("image/", StringComparison.Ordinal))
                throw Failed(image, $"it is not an image (Content-Type {contentType ?? "none"}, and the bytes are no PNG, JPEG, GIF or BMP)", "invalid_image");
            ImageContent.CheckMediaType(contentType, image.Where, image.Param);
            mediaType = contentType;
        }
        EngineLog.ImageFetched(logger, url.GetLeftPart(UriPartial.Path), data.Length, mediaType);
        return image with { Data = data, MediaType = mediaType, Remote = null };
    }

    /// <summary>Reads the body, stopping as soon as it passes the cap (a missing or lying Content-Length cannot get round it).</summary>
    private static async Task<byte[]> ReadCappedAsync(HttpContent content, PromptImage image, CancellationToken cancellation)
    {
        var body = await content.ReadAsStreamAsync(cancellation).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(chunk, cancellation).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxBytes)
                    throw TooLarge(image, null);
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
    }

    private static ApiException TooLarge(PromptImage image, long? length) =>
        Failed(image, $"it is larger than the {MaxBytes / (1024 * 1024)} MiB an image may be{(length is { } n ? $" ({n} bytes)" : "")}", "image_too_large");

    private static ApiException Failed(PromptImage image, string problem, string code) =>
        ApiException.BadRequest($"'{image.Where}': could not use the image at {image.Remote}: {problem}.", image.Param, code);
}
