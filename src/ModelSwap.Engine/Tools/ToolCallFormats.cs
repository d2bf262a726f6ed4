namespace ModelSwap.Engine.Tools;

/// <summary>Recognises a family's tool-call format from the text of its chat template.</summary>
internal static class ToolCallFormats
{
    public static ToolCallFormat Detect(string templateSource)
    {
        if (templateSource.Contains("[TOOL_CALLS]", StringComparison.Ordinal))
        {
            return ToolCallFormat.Mistral;
        }
        if (templateSource.Contains("<|tool_call|>", StringComparison.Ordinal))
        {
            return ToolCallFormat.Phi4;
        }
        if (templateSource.Contains("tool▁call▁begin", StringComparison.Ordinal))
        {
            return ToolCallFormat.DeepSeek;
        }
        if (templateSource.Contains("<|channel|>", StringComparison.Ordinal))
        {
            return ToolCallFormat.GptOss;
        }
        if (templateSource.Contains("<tool_call>", StringComparison.Ordinal))
        {
            return ToolCallFormat.Hermes;
        }
        if (templateSource.Contains("<|start_header_id|>", StringComparison.Ordinal) && templateSource.Contains("tools", StringComparison.Ordinal))
        {
            return ToolCallFormat.Llama3;
        }
        return ToolCallFormat.Hermes;
    }

    /// <summary>Templates that never mention tools get them described in a system message instead.</summary>
    public static bool TemplateRendersTools(string templateSource) => templateSource.Contains("tools", StringComparison.Ordinal);
}
