using System.Text.Json;

namespace ModelSwap.Gateway.Routing;

/// <summary>
/// Receives a JSON body token by token from <see cref="JsonStreamPump"/>. A string too long to hold
/// arrives as a start and content segments instead of one token, so no visitor ever needs it whole.
/// </summary>
internal interface IJsonTokenVisitor
{
    /// <summary>A token that fits the pump's buffer (comments are skipped before they get here).</summary>
    void OnToken(ref Utf8JsonReader reader);

    /// <summary>A long string begins: a property name or a value, at <paramref name="depth"/> (reader depth).</summary>
    void OnLongStringStart(bool isPropertyName, int depth);

    /// <summary>The next piece of the long string's content, as sent (escapes kept), already validated.</summary>
    void OnLongStringSegment(ReadOnlySpan<byte> content, bool last);
}
