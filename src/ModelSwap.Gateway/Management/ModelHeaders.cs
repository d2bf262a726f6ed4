using System.Globalization;
using ModelSwap.Core.Catalog.Gguf;

namespace ModelSwap.Gateway.Management;

/// <summary>Reads a model file's GGUF header for the detail view: every key but the vocabulary's long arrays, which show as a count.</summary>
internal static class ModelHeaders
{
    private const int ShownArrayLength = 16;
    private const string TemplateKey = "tokenizer.chat_template";
    private static readonly GgufReadLimits Limits = new() { KeepArraysUpTo = ShownArrayLength };

    public static ModelHeaderView Read(string path)
    {
        GgufFile header;
        try
        {
            header = GgufReader.Read(path, Limits);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException or GgufFormatException)
        {
            throw new ManagementException(ManagementFailure.Failed, "header_unreadable", $"the GGUF header of {path} could not be read: {ex.Message}", ex);
        }
        var metadata = header.Metadata
            .Where(kv => kv.Key != TemplateKey)
            .OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => KeyValuePair.Create(kv.Key, Text(kv.Value.Value)))
            .ToList();
        return new ModelHeaderView(path, metadata, header.GetString(TemplateKey));
    }

    private static string Text(object value) => value switch
    {
        GgufArray array when array.OmittedCount > 0 || array.Count > ShownArrayLength => $"[{(array.OmittedCount > 0 ? array.OmittedCount : array.Count)} items]",
        GgufArray array => "[" + string.Join(", ", array.Items.Cast<object>().Select(Text)) + "]",
        float f => f.ToString("G6", CultureInfo.InvariantCulture),
        double d => d.ToString("G8", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
