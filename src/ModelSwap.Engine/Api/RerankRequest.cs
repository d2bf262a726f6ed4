using System.Text.Json;

namespace ModelSwap.Engine.Api;

/// <summary>
/// A rerank request in either of the two forms llama-server takes: Jina/Cohere's
/// <c>{"query","documents":[…],"top_n"}</c>, or TEI's <c>{"query","texts":[…],"return_text"}</c>
/// (the presence of <c>texts</c> picks TEI's answer shape).
/// </summary>
internal sealed record RerankRequest(string Query, IReadOnlyList<string> Documents, string DocumentsField, int TopN, bool Tei, bool ReturnText, string? Model)
{
    private const int MaxDocuments = 2048;

    public static RerankRequest Parse(JsonElement body)
    {
        if (!JsonFields.TryGet(body, "query", out var query))
            throw ApiException.BadRequest("'query' is required.", "query");
        if (query.ValueKind != JsonValueKind.String)
            throw ApiException.BadRequest($"'query' must be a string, not {JsonFields.Describe(query.ValueKind)}.", "query");

        var tei = JsonFields.TryGet(body, "texts", out _);
        var field = tei ? "texts" : "documents";
        if (!JsonFields.TryGet(body, field, out var list))
            throw ApiException.BadRequest("'documents' is required: a non-empty array of strings.", "documents");
        if (list.ValueKind != JsonValueKind.Array || list.GetArrayLength() == 0)
            throw ApiException.BadRequest($"'{field}' must be a non-empty array of strings, not {Describe(list)}.", field);
        if (list.GetArrayLength() > MaxDocuments)
            throw ApiException.BadRequest($"'{field}' may hold at most {MaxDocuments} documents, got {list.GetArrayLength()}.", field);
        var documents = new List<string>(list.GetArrayLength());
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
                throw ApiException.BadRequest($"'{field}[{documents.Count}]' must be a string, not {JsonFields.Describe(item.ValueKind)}.", field);
            documents.Add(item.GetString()!);
        }

        var topN = JsonFields.Integer(body, "top_n", 0, int.MaxValue) is { } n ? (int)Math.Min(n, documents.Count) : documents.Count;
        var returnText = tei && (JsonFields.Bool(body, "return_text") ?? false);
        return new RerankRequest(query.GetString()!, documents, field, topN, tei, returnText, JsonFields.String(body, "model"));
    }

    private static string Describe(JsonElement value) =>
        value.ValueKind == JsonValueKind.Array ? "an empty array" : JsonFields.Describe(value.ValueKind);
}
