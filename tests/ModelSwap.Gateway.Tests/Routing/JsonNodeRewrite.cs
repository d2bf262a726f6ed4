using System.Text.Json;
using System.Text.Json.Nodes;
using ModelSwap.Core.Configuration;
using ModelSwap.Gateway.Routing;

namespace ModelSwap.Gateway.Tests.Routing;

/// <summary>
/// The rewrite as it was before it was streamed (parse the whole body into a JsonObject, edit, serialize):
/// the oracle the streamed rewrite must agree with.
/// </summary>
internal static class JsonNodeRewrite
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip };

    public static byte[] Rewrite(byte[] body, ModelConfig model)
    {
        try
        {
            if (JsonNode.Parse(body, documentOptions: DocumentOptions) is not JsonObject root)
            {
                throw new BadRequestException("request body must be a JSON object");
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
            throw new BadRequestException($"request body cannot be rewritten for model '{model.Id}': {ex.Message}");
        }
        catch (InvalidOperationException ex)
        {
            throw new BadRequestException($"request body is not valid JSON: {ex.Message}");
        }
    }
}
