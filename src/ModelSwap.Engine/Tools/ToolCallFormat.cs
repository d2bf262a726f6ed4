namespace ModelSwap.Engine.Tools;

/// <summary>How a model family writes tool calls, recognised from its chat template.</summary>
internal enum ToolCallFormat
{
    /// <summary>`&lt;tool_call&gt;{"name", "arguments"}&lt;/tool_call&gt;`: Qwen 2.5/3, Hermes, SmolLM3, and our default.</summary>
    Hermes,
    /// <summary>A bare `{"name", "parameters"}` object: Llama 3.x.</summary>
    Llama3,
    /// <summary>`[TOOL_CALLS][{"name", "arguments"}, …]`: Mistral, Nemo.</summary>
    Mistral,
    /// <summary>`&lt;|tool_call|&gt;{…}&lt;|/tool_call|&gt;`: Phi-4-mini.</summary>
    Phi4,
    /// <summary>`&lt;｜tool▁call▁begin｜&gt;function&lt;｜tool▁sep｜&gt;NAME` + a json block: DeepSeek R1.</summary>
    DeepSeek,
    /// <summary>Harmony: `to=functions.NAME … &lt;|message|&gt;{…}&lt;|call|&gt;`: gpt-oss.</summary>
    GptOss,
}
