namespace ModelSwap.Core.Memory;

/// <summary>Which model server a command runs, as far as ModelSwap can tell from the command line.</summary>
public enum ServerKind
{
    /// <summary>Something ModelSwap cannot read: its footprint comes from <c>memory:</c> or its last run.</summary>
    Custom,
    /// <summary>llama.cpp's llama-server: <c>--ctx-size</c> is the total context, shared by the slots.</summary>
    LlamaServer,
    /// <summary>The built-in engine: <c>--ctx-size</c> is per request, times <c>--parallel</c> slots.</summary>
    Engine,
}
