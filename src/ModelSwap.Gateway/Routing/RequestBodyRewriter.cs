using System.Text.Json;
using System.Text.Json.Nodes;
using ModelSwap.Core.Configuration;

namespace ModelSwap.Gateway.Routing;

/// <summary>
/// Applies a model's useModelName and filters (stripParams, setParams) to a JSON request body.
/// Returns the body unchanged (same array) when the model asks for nothing, so the common case
/// costs no parse.
/// </summary>
internal static class RequestBodyRewriter
{
    public static byte[] Rewrite(byte[] body, ModelConfig model)
    {
        if (model.UseModelName is null && model.Filters.IsEmpty)
        {
            return body;
        }
        if (JsonNode.Parse(body) is not JsonObject root)
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
}
