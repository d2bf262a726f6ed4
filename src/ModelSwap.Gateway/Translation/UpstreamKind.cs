namespace ModelSwap.Gateway.Translation;

/// <summary>Which upstream endpoint a translated request goes to, and so how its answer reads.</summary>
internal enum UpstreamKind
{
    /// <summary>POST /v1/chat/completions: deltas in choices[0].delta.</summary>
    Chat,
    /// <summary>POST /v1/completions (raw prompts): text in choices[0].text.</summary>
    Completion,
    /// <summary>POST /infill (llama-server's fill-in-the-middle): text in content.</summary>
    Infill,
}
