namespace ModelSwap.Engine.Templates;

/// <summary>
/// A chat template could not be parsed or rendered. <see cref="RaisedByTemplate"/> marks the
/// template's own <c>raise_exception(...)</c>: a message about the conversation, meant for the client.
/// </summary>
internal sealed class JinjaException(string message, bool raisedByTemplate = false) : Exception(message)
{
    public bool RaisedByTemplate { get; } = raisedByTemplate;
}
