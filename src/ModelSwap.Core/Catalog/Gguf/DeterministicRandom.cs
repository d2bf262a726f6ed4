namespace ModelSwap.Core.Catalog.Gguf;

/// <summary>
/// SplitMix64: a tiny generator whose output is fixed by its definition, unlike System.Random,
/// so generated models stay byte-identical across .NET versions.
/// </summary>
internal sealed class DeterministicRandom
{
    private ulong _state;

    public DeterministicRandom(int seed, string stream)
    {
        // FNV-1a of the stream name, so each tensor's weights depend only on seed and name.
        var hash = 14695981039346656037UL;
        foreach (var c in stream)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }
        _state = hash ^ (ulong)(uint)seed * 0x9E3779B97F4A7C15UL;
    }

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [-1, 1).</summary>
    public float NextSigned() => (float)((NextUInt64() >> 40) * (1.0 / (1UL << 24)) * 2.0 - 1.0);
}
