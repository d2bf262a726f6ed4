using System.Text.Json;
using System.Text.Json.Nodes;

namespace ModelSwap.Gateway.Tests.Functional;

internal static class JsonSerializerHelpers
{
    public static JsonObject ToObject(object value) =>
        value as JsonObject ?? JsonSerializer.SerializeToNode(value)!.AsObject();
}
