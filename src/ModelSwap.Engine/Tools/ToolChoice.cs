namespace ModelSwap.Engine.Tools;

/// <summary>OpenAI's tool_choice: auto, none, required, or one named function (<see cref="Function"/>).</summary>
internal sealed record ToolChoice(string Mode, string? Function = null)
{
    public static readonly ToolChoice Auto = new("auto");
    public static readonly ToolChoice None = new("none");
    public static readonly ToolChoice Required = new("required");

    /// <summary>The reply must be a tool call, enforced by a grammar.</summary>
    public bool Forced => Mode is "required" or "function";
}
