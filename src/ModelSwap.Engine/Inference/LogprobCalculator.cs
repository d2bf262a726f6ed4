using LLama.Native;
using ModelSwap.Engine.Model;

namespace ModelSwap.Engine.Inference;

/// <summary>Log-softmax over the raw logits of one step, and its top alternatives: what OpenAI's logprobs report.</summary>
internal static class LogprobCalculator
{
    public static TokenLogprob For(ReadOnlySpan<float> logits, LLamaToken chosen, int top, LoadedModel model)
    {
        var max = float.NegativeInfinity;
        foreach (var value in logits)
        {
            max = Math.Max(max, value);
        }
        double sum = 0;
        foreach (var value in logits)
        {
            sum += Math.Exp(value - max);
        }
        var logSum = max + (float)Math.Log(sum);

        var best = new List<(int Id, float Logit)>(top + 1);
        for (var id = 0; id < logits.Length && top > 0; id++)
        {
            if (best.Count < top || logits[id] > best[^1].Logit)
            {
                var at = best.Count;
                while (at > 0 && logits[id] > best[at - 1].Logit)
                {
                    at--;
                }
                best.Insert(at, (id, logits[id]));
                if (best.Count > top)
                {
                    best.RemoveAt(best.Count - 1);
                }
            }
        }
        return new TokenLogprob(
            Text(model, chosen),
            logits[(int)chosen] - logSum,
            best.Select(b => (Text(model, b.Id), b.Logit - logSum)).ToList());
    }

    private static string Text(LoadedModel model, LLamaToken token) => model.Vocab.LLamaTokenToString(token, false) ?? "";
}
