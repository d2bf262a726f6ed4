namespace ModelSwap.Engine.Api;

/// <summary>
/// A chat message as the template sees it (a plain dictionary of role, content, …) that also carries
/// the images its content held. The content names each image by the projector's media marker where it
/// stood; the images ride here, out of the template's sight, so a stored conversation
/// (previous_response_id) keeps them in order with their markers.
/// </summary>
internal sealed class TemplateMessage : Dictionary<string, object?>
{
    public TemplateMessage() : base(StringComparer.Ordinal)
    {
    }

    public List<PromptImage> Images { get; } = [];

    /// <summary>The text that stands for one image in a rendered prompt (mtmd's default marker).</summary>
    public const string MediaMarker = "<__media__>";
}
