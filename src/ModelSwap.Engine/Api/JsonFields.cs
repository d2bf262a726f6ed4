using System.Globalization;
using System.Text.Json;

namespace ModelSwap.Engine.Api;

/// <summary>Typed, range-checked reads of request fields; every error names the field and what was wrong.</summary>
internal static class JsonFields
{
    /// <summary>A present, non-null field. JSON null counts as absent, as in OpenAI's API.</summary>
    public static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        if (obj.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null)
            return true;
        value = default;
        return false;
    }

    public static double? Number(JsonElement obj, string name, double min, double max)
    {
        if (!TryGet(obj, name, out var value))
            return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || double.IsNaN(number))
            throw ApiException.BadRequest($"'{name}' must be a number, not {Describe(value.ValueKind)}.", name);
        if (number < min || number > max)
            throw ApiException.BadRequest($"'{name}' must be between {Format(min)} and {Format(max)}, got {value.GetRawText()}.", name);
        return number;
    }

    public static long? Integer(JsonElement obj, string name, long min, long max)
    {
        if (!TryGet(obj, name, out var value))
            return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
            throw ApiException.BadRequest($"'{name}' must be an integer, not {DescribeValue(value)}.", name);
        if (number < min || number > max)
            throw ApiException.BadRequest($"'{name}' must be between {min} and {max}, got {number}.", name);
        return number;
    }

    public static bool? Bool(JsonElement obj, string name)
    {
        if (!TryGet(obj, name, out var value))
            return null;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw ApiException.BadRequest($"'{name}' must be true or false, not {Describe(value.ValueKind)}.", name),
        };
    }

    public static string? String(JsonElement obj, string name)
    {
        if (!TryGet(obj, name, out var value))
            return null;
        if (value.ValueKind != JsonValueKind.String)
            throw ApiException.BadRequest($"'{name}' must be a string, not {Describe(value.ValueKind)}.", name);
        return value.GetString();
    }

    public static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    private static string DescribeValue(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? $"{value.GetRawText()}" : Describe(value.ValueKind);

    private static string Format(double value) => value.ToString(CultureInfo.InvariantCulture);
}
