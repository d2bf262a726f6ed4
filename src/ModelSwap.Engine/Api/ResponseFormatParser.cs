using System.Text.Json;
using ModelSwap.Engine.Grammar;

namespace ModelSwap.Engine.Api;

/// <summary>`response_format` (chat) and `text.format` (Responses): text, json_object or json_schema, as a grammar.</summary>
internal static class ResponseFormatParser
{
    /// <summary>The GBNF grammar the reply must follow; null for plain text.</summary>
    public static string? Grammar(JsonElement format, string param)
    {
        if (format.ValueKind != JsonValueKind.Object)
            throw ApiException.BadRequest($"'{param}' must be an object, not {JsonFields.Describe(format.ValueKind)}.", param);
        var type = JsonFields.String(format, "type");
        switch (type)
        {
            case null or "text":
                return null;
            case "json_object":
                return "root ::= json-object\n" + JsonGrammarPrimitives.Rules + "\n";
            case "json_schema":
                // Chat puts the schema under json_schema.schema; the Responses API puts it beside `type`.
                var holder = format.TryGetProperty("json_schema", out var js) && js.ValueKind == JsonValueKind.Object ? js : format;
                if (!holder.TryGetProperty("schema", out var schema))
                    throw ApiException.BadRequest($"'{param}' of type json_schema needs a 'schema'.", param);
                try
                {
                    return JsonSchemaGrammar.ForSchema(schema);
                }
                catch (SchemaNotSupportedException ex)
                {
                    throw ApiException.BadRequest($"'{param}': {ex.Message}.", param, "unsupported_schema");
                }
            default:
                throw ApiException.BadRequest($"'{param}' type '{type}' is not one of text, json_object, json_schema.", param);
        }
    }
}
