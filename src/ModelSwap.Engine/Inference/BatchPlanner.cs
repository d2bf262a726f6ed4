namespace ModelSwap.Engine.Inference;

/// <summary>
/// Which slots put how many queued tokens into the next decode: a pure decision, so its two rules are
/// tested without a model. (1) Generating slots (one token each) get room before prompts, so a long
/// prompt joining never stalls the running streams; what did not fit goes in the next step. (2) The
/// shares come out in ascending sequence id, whatever order the slots are in: with a cache per slot
/// llama.cpp cuts a batch into a separate matrix product at every descending or non-consecutive id
/// (see <see cref="SequenceIds"/>), so 4 streams added out of order decode as 3 + 1 products.
/// </summary>
internal static class BatchPlanner
{
    /// <summary>
    /// Fills <paramref name="shares"/> (at least as long as <paramref name="claims"/>) with the tokens each
    /// slot adds, in ascending sequence id, slots adding none left out; returns how many were written.
    /// </summary>
    public static int Plan(ReadOnlySpan<BatchClaim> claims, int room, Span<BatchShare> shares)
    {
        if (shares.Length < claims.Length)
            throw new ArgumentException("one share per claim is needed", nameof(shares));
        var written = 0;
        for (var pass = 0; pass < 2 && room > 0; pass++)
        {
            var generating = pass == 0;
            for (var i = 0; i < claims.Length && room > 0; i++)
            {
                var claim = claims[i];
                if (claim.Generating != generating || claim.Pending <= 0)
                    continue;
                var count = Math.Min(claim.Pending, room);
                room -= count;
                // Insertion keeps the written shares sorted by id; there are at most `parallel` of them.
                var at = written;
                while (at > 0 && shares[at - 1].SequenceId > claim.SequenceId)
                {
                    shares[at] = shares[at - 1];
                    at--;
                }
                shares[at] = new BatchShare(claim.SequenceId, count);
                written++;
            }
        }
        return written;
    }
}
