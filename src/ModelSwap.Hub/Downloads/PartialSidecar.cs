using System.Text.Json;

namespace ModelSwap.Hub.Downloads;

/// <summary>
/// `&lt;final&gt;.part.json`: what the `.part` beside it is a prefix of. A later run resumes only when the
/// url, expected size and sha256 still agree; otherwise the partial bytes belong to something else.
/// </summary>
internal sealed record PartialSidecar(
    string Url,
    string? Etag,
    long? ExpectedSize,
    string? Sha256,
    string Repo,
    string Revision,
    string File)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static PartialSidecar? TryLoad(string path)
    {
        try
        {
            return System.IO.File.Exists(path) ? JsonSerializer.Deserialize<PartialSidecar>(System.IO.File.ReadAllText(path), Json) : null;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    public void Save(string path)
    {
        var temp = path + ".tmp";
        System.IO.File.WriteAllText(temp, JsonSerializer.Serialize(this, Json));
        System.IO.File.Move(temp, path, overwrite: true);
    }

    public bool Describes(PartialSidecar other) =>
        Url == other.Url && ExpectedSize == other.ExpectedSize
        && string.Equals(Sha256, other.Sha256, StringComparison.OrdinalIgnoreCase);
}
