using System.Text.Encodings.Web;
using System.Text.Json;

namespace ModelSwap.Gateway.Translation;

/// <summary>
/// How Ollama replies are serialised: text outside ASCII stays as it is (a streamed Chinese or emoji
/// token is not six escapes per character); HTML-significant characters stay escaped, as Go's encoder does.
/// </summary>
internal static class OllamaJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        Encoder = JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
    };
}
