using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace ModelSwap.Gateway.Routing;

/// <summary>
/// Finds the model a request names: the JSON body's top-level "model" (any body that is a JSON
/// object, whatever its content type), the multipart field "model", or the "model" query parameter,
/// in that order. The body is spooled (to disk past <see cref="MemoryThreshold"/>) so it can be
/// forwarded after the scan, and the scan holds one chunk at a time, never the whole body. The same
/// pass notes whether the request streams (its top-level "stream" is true), for sendLoadingState.
/// </summary>
internal static class RequestModelReader
{
    /// <summary>Bodies up to this size stay in memory while buffered; larger ones go to a temporary file.</summary>
    public const int MemoryThreshold = 256 * 1024;

    public static async Task<RequestModel> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        string? model = null;
        var isJson = false;
        var streams = false;
        if (request.HasFormContentType && !IsJson(request.ContentType))
        {
            // Multipart uploads (audio transcription) are buffered so the form can be read and then forwarded whole.
            request.EnableBuffering(MemoryThreshold);
            try
            {
                var form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
                model = NonEmpty(form["model"].ToString());
            }
            catch (InvalidDataException ex)
            {
                throw new BadRequestException($"the multipart form cannot be read: {ex.Message}");
            }
            catch (IOException ex) when (ex is not Microsoft.AspNetCore.Http.BadHttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                // "Unexpected end of Stream": the client sent a truncated form.
                throw new BadRequestException($"the multipart form cannot be read: {ex.Message}");
            }
            request.Body.Position = 0;
        }
        else if (request.ContentLength is not 0)
        {
            request.EnableBuffering(MemoryThreshold);
            var declaredJson = IsJson(request.ContentType);
            var scan = await ScanAsync(request.Body, declaredJson, cancellationToken).ConfigureAwait(false);
            request.Body.Position = 0;
            isJson = scan.IsJson;
            model = scan.Model;
            streams = scan.Streams;
        }
        model ??= NonEmpty(request.Query["model"].ToString());
        return new RequestModel(model, isJson, streams);
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null && contentType.Contains("json", StringComparison.OrdinalIgnoreCase);

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>
    /// Reads the body through a streaming JSON reader. A body declared as JSON must be valid JSON;
    /// any other body is read as JSON only when it is a valid JSON object (else it is not JSON, and
    /// the model comes from the query).
    /// </summary>
    private static async Task<(bool IsJson, string? Model, bool Streams)> ScanAsync(Stream body, bool declaredJson, CancellationToken cancellationToken)
    {
        var scanner = new TopLevelModelScanner();
        long read;
        try
        {
            read = await JsonStreamPump.RunAsync(body, scanner, drain: null, cancellationToken).ConfigureAwait(false);
        }
        catch (BadRequestException) when (!declaredJson)
        {
            return (false, null, false);
        }
        return read == 0 ? (false, null, false) : (true, scanner.Model, scanner.Streams);
    }
}
