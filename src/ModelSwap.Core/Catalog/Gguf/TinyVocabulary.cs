using System.Globalization;

namespace ModelSwap.Core.Catalog.Gguf;

/// <summary>
/// A SentencePiece-style ("llama") vocabulary that really tokenizes text: control tokens, the 256
/// byte-fallback tokens every character can fall back to, ChatML markers, single characters, and
/// English words with every prefix (SentencePiece merges pairs, so "▁hello" is reachable only
/// through "▁h", "▁he", …). Filled up to the requested size with letter pairs and triples.
/// </summary>
internal sealed class TinyVocabulary
{
    // llama.cpp token types: 1 normal, 2 unknown, 3 control, 6 byte.
    public const int Normal = 1;
    public const int Unknown = 2;
    public const int Control = 3;
    public const int Byte = 6;
    private const string Space = "\u2581";

    // Most useful first: a 512-token vocabulary has room for the first ~50 words only.
    private static readonly string[] Words =
    [
        "Hello", "hello", "world", "the", "model", "is", "good", "a", "and", "to", "of", "in", "it", "you", "that",
        "I", "yes", "ok", "test", "story", "cat", "dog", "swap", "The", "What", "How", "he", "was", "for", "on",
        "are", "as", "with", "his", "they", "at", "be", "this", "have", "from", "or", "one", "had", "by", "word",
        "but", "not", "what", "all", "were", "we", "when", "your", "can", "said", "there", "use", "an", "each",
        "which", "she", "do", "how", "their", "if", "will", "up", "other", "about", "out", "many", "then", "them",
        "these", "so", "some", "her", "would", "make", "like", "him", "into", "time", "has", "look", "two", "more",
        "write", "go", "see", "number", "no", "way", "could", "people", "my", "than", "first", "water", "been",
        "call", "who", "now", "find", "long", "down", "day", "did", "get", "come", "made", "may", "part",
    ];

    private readonly List<string> _tokens = [];
    private readonly List<int> _types = [];
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);

    private TinyVocabulary(int size, bool fillInTheMiddle)
    {
        Add("<unk>", Unknown);
        Add("<s>", Control);
        Add("</s>", Control);
        for (var b = 0; b < 256; b++)
        {
            Add(string.Create(CultureInfo.InvariantCulture, $"<0x{b:X2}>"), Byte);
        }
        ImStart = Add("<|im_start|>", Control);
        ImEnd = Add("<|im_end|>", Control);
        if (fillInTheMiddle)
        {
            // Qwen2.5-Coder's spelling of the three fill-in-the-middle markers.
            FimPrefix = Add("<|fim_prefix|>", Control);
            FimSuffix = Add("<|fim_suffix|>", Control);
            FimMiddle = Add("<|fim_middle|>", Control);
        }
        Add(Space, Normal);
        for (var c = '!'; c <= '~'; c++)
        {
            Add(c.ToString(), Normal);
        }
        if (_tokens.Count > size)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"A vocabulary needs at least {_tokens.Count} tokens.");
        }
        foreach (var word in Words)
        {
            for (var length = 1; length <= word.Length && _tokens.Count < size; length++)
            {
                TryAdd(Space + word[..length]);
            }
        }
        const string letters = "abcdefghijklmnopqrstuvwxyz";
        foreach (var a in letters)
        {
            foreach (var b in letters)
            {
                TryAdd($"{a}{b}");
                TryAdd($"{Space}{a}{b}");
            }
        }
        foreach (var a in letters)
        {
            foreach (var b in letters)
            {
                foreach (var c in letters)
                {
                    TryAdd($"{a}{b}{c}");
                    TryAdd($"{Space}{a}{b}{c}");
                }
            }
        }
        if (_tokens.Count < size)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"A generated vocabulary holds at most {_tokens.Count} tokens.");
        }

        void TryAdd(string piece)
        {
            if (_tokens.Count < size && !_seen.Contains(piece))
            {
                Add(piece, Normal);
            }
        }
    }

    public int UnknownId => 0;
    public int BosId => 1;
    public int EosId => 2;
    public int ImStart { get; }
    public int ImEnd { get; }

    /// <summary>The fill-in-the-middle markers' ids; -1 when the vocabulary has none.</summary>
    public int FimPrefix { get; } = -1;
    public int FimSuffix { get; } = -1;
    public int FimMiddle { get; } = -1;
    public IReadOnlyList<string> Tokens => _tokens;
    public IReadOnlyList<int> Types => _types;
    public int Count => _tokens.Count;

    /// <summary>
    /// SentencePiece scores: higher merges first. Normal pieces score by order (earlier = more
    /// frequent); special and byte tokens score 0 as in Llama 2's tokenizer.
    /// </summary>
    public float[] Scores()
    {
        var scores = new float[_tokens.Count];
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = _types[i] == Normal ? -i : 0f;
        }
        return scores;
    }

    public static TinyVocabulary Create(int size, bool fillInTheMiddle = false) => new(size, fillInTheMiddle);

    private int Add(string token, int type)
    {
        _seen.Add(token);
        _tokens.Add(token);
        _types.Add(type);
        return _tokens.Count - 1;
    }
}
