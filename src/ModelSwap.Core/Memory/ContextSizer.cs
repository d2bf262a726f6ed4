namespace ModelSwap.Core.Memory;

/// <summary>The largest context that fits: a pure search over the footprint as a function of the context.</summary>
internal static class ContextSizer
{
    /// <summary>Contexts are chosen in steps of this many tokens (llama.cpp pads its cache to 256).</summary>
    public const int Step = 256;

    /// <summary>
    /// The largest context ≤ <paramref name="upper"/> (a multiple of <see cref="Step"/>, or <paramref name="upper"/>
    /// itself) whose need fits in <paramref name="available"/> bytes; null when not even <see cref="Step"/> tokens fit.
    /// <paramref name="needFor"/> must grow with the context, which every footprint does.
    /// </summary>
    public static int? Largest(int upper, long available, Func<int, long> needFor)
    {
        ArgumentNullException.ThrowIfNull(needFor);
        if (upper <= 0)
        {
            return null;
        }
        if (needFor(upper) <= available)
        {
            return upper;
        }
        int low = 1, high = upper / Step; // in steps; the answer is low * Step
        if (needFor(Step) > available)
        {
            return null;
        }
        while (low < high)
        {
            var mid = (low + high + 1) / 2;
            if (needFor(mid * Step) <= available)
            {
                low = mid;
            }
            else
            {
                high = mid - 1;
            }
        }
        return low * Step;
    }
}
