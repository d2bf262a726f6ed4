using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ModelSwap.Gateway.Routing;

/// <summary>
/// Finds the model a request names: the JSON body's top-level "model", the multipart field "model",
/// or the "model" query parameter, in that order.
/// </summary>
internal static class RequestModelReader
{
    /// <summary>Bodies larger than this are refused: a JSON inference request is never near it.</summary>
    public const long MaxJsonBodyBytes = 256L * 1024 * 1024;

    public static async Task<RequestModel> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        string? model = null;
        byte[]? json = null;
        if (IsJson(request.ContentType))
        {
            json = await ReadBodyAsync(request, cancellationToken).ConfigureAwait(false);
            if (json.Length > 0)
            {
                model = FindTopLevelModel(json);
            }
        }
        else if (request.HasFormContentType)
        {
            // Multipart uploads (audio transcription) are buffered so the form can be read and then forwarded whole.
            request.EnableBuffering();
            try
            {
                var form = await request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
                model = NonEmpty(form["model"].ToString());
            }
            catch (InvalidDataException ex)
            {
                throw new BadRequestException($"the multipart form cannot be read: {ex.Message}");
            }
            request.Body.Position = 0;
        }
        model ??= NonEmpty(request.Query["model"].ToString());
        return new RequestModel(model, json);
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null && contentType.Contains("json", StringComparison.OrdinalIgnoreCase);

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength is > MaxJsonBodyBytes)
        {
            throw new BadRequestException($"request body of {request.ContentLength} bytes is larger than the {MaxJsonBodyBytes} byte limit");
        }
        if (request.ContentLength is { } length)
        {
            var buffer = new byte[length];
            await request.Body.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
            return buffer;
        }
        using var stream = new MemoryStream();
        await request.Body.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
        if (stream.Length > MaxJsonBodyBytes)
        {
            throw new BadRequestException($"request body is larger than the {MaxJsonBodyBytes} byte limit");
        }
        return stream.ToArray();
    }

    /// <summary>Scans for the top-level "model" string without building a document (the hot path).</summary>
    internal static string? FindTopLevelModel(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new BadRequestException("request body must be a JSON object");
            }
            string? model = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isModel = reader.ValueTextEquals("model"u8);
                reader.Read();
                if (isModel)
                {
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        throw new BadRequestException("\"model\" must be a string");
                    }
                    model = reader.GetString();
                }
                else
                {
                    reader.Skip();
                }
            }
            // Read to the end so a truncated or malformed body is reported, not forwarded.
            while (reader.Read())
            {
            }
            return NonEmpty(model);
        }
        catch (JsonException ex)
        {
            throw new BadRequestException($"request body is not valid JSON: {ex.Message}");
        }
        catch (InvalidOperationException ex)
        {
            // Utf8JsonReader.GetString throws this for a string that is not valid UTF-8.
            throw new BadRequestException($"request body is not valid JSON: {ex.Message}");
        }
    }
}
