namespace ModelSwap.Core.Catalog.Gguf;

/// <summary>How a generated model declares its fill-in-the-middle tokens (see <see cref="TinyModelOptions.FillInTheMiddle"/>).</summary>
public enum FimTokenKeys
{
    /// <summary>No markers in the vocabulary, no keys.</summary>
    None,

    /// <summary>Today's keys: <c>tokenizer.ggml.fim_pre_token_id</c>, <c>fim_suf_token_id</c>, <c>fim_mid_token_id</c>.</summary>
    Current,

    /// <summary>The older keys some converted models still carry: <c>tokenizer.ggml.prefix_token_id</c>, <c>suffix_token_id</c>, <c>middle_token_id</c>.</summary>
    Legacy,
}
