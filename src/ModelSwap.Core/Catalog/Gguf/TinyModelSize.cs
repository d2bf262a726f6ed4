namespace ModelSwap.Core.Catalog.Gguf;

/// <summary>Shapes <see cref="TinyModelBuilder"/> can write.</summary>
internal enum TinyModelSize
{
    /// <summary>n_embd 64, 2 layers, vocabulary 512, F32: ~165K parameters, loads in milliseconds. For tests.</summary>
    Tiny,

    /// <summary>n_embd 512, 8 layers, vocabulary 32000, n_ff 2048, F16 matrices: ~66M parameters. For benchmarks.</summary>
    Bench,
}
