using System.Text.Json;
using System.Text.Json.Nodes;
using ModelSwap.Core.Configuration;

namespace ModelSwap.Gateway.Routing;

/// <summary>
/// Applies a model's useModelName and filters (stripParams, setParams) to a JSON request body.
/// Only models that ask for one of them pay for a parse; the rest are forwarded as sent.
/// </summary>
internal static class RequestBodyRewriter
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip };

    public static bool Rewrites(ModelConfig model) => model.UseModelName is not null || !model.Filters.IsEmpty;

    public static async Task<byte[]> RewriteAsync(Stream body, ModelConfig model, CancellationToken cancellationToken)
    {
        using var copy = new MemoryStream();
        await body.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
        return Rewrite(copy.GetBuffer().AsSpan(0, (int)copy.Length).ToArray(), model);
    }

    public static byte[] Rewrite(byte[] body, ModelConfig model)
    {
        if (!Rewrites(model))
        {
            return body;
        }
        try
        {
            if (JsonNode.Parse(body, documentOptions: DocumentOptions) is not JsonObject root)
            {
                return body;
            }
            foreach (var name in model.Filters.StripParams)
            {
                if (name != "model")
                {
                    root.Remove(name);
                }
            }
            if (model.Filters.SetParams is { } setParams)
            {
                foreach (var (name, value) in setParams)
                {
                    if (name != "model")
                    {
                        root[name] = value?.DeepClone();
                    }
                }
            }
            if (model.UseModelName is { } upstreamName)
            {
                root["model"] = upstreamName;
            }
            return JsonSerializer.SerializeToUtf8Bytes(root);
        }
        catch (JsonException ex)
        {
            throw new BadRequestException($"request body is not valid JSON: {ex.Message}");
        }
        catch (ArgumentException ex)
        {
            // JsonObject refuses a key that appears twice.
            throw new BadRequestException($"request body cannot be rewritten for model '{model.Id}': {ex.Message}");
        }
        catch (InvalidOperationException ex)
        {
            // Invalid UTF-8 or a lone surrogate in a string.
            throw new BadRequestException($"request body is not valid JSON: {ex.Message}");
        }
    }
}
