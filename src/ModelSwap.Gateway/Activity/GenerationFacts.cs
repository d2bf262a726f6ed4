namespace ModelSwap.Gateway.Activity;

/// <summary>
/// What an upstream's answer said about itself, as far as it has been read: OpenAI's <c>usage</c>,
/// llama-server's (and the built-in engine's) <c>timings</c>, and the generated text (capped).
/// Written by the one thread that observes the stream; read by others (GET /api/requests) through
/// <see cref="Pieces"/>, which is why that one is volatile.
/// </summary>
internal sealed class GenerationFacts
{
    /// <summary>How much generated text is kept for the request viewer.</summary>
    public const int ExcerptCharacters = 8 * 1024;

    private readonly System.Text.StringBuilder _text = new();
    private int _pieces;

    public int? PromptTokens { get; set; }
    public int? CompletionTokens { get; set; }
    public int? PromptN { get; set; }
    public int? PredictedN { get; set; }
    public double? PromptMs { get; set; }
    public double? PredictedMs { get; set; }
    public double? PredictedPerSecond { get; set; }

    /// <summary>Non-empty pieces of generated text seen so far (one a token for llama-server's streams).</summary>
    public int Pieces => Volatile.Read(ref _pieces);

    /// <summary>When the first piece of generated text passed.</summary>
    public DateTimeOffset? FirstPieceAt { get; private set; }

    public bool TextTruncated { get; private set; }

    public string Text => _text.ToString();

    /// <summary>Tokens generated: the upstream's own count when it sent one, else the pieces counted.</summary>
    public int? GeneratedTokens => CompletionTokens ?? PredictedN ?? (Pieces > 0 ? Pieces : null);

    public int? PromptTokenCount => PromptTokens ?? PromptN;

    public void AddText(string piece, DateTimeOffset now)
    {
        if (piece.Length == 0)
        {
            return;
        }
        FirstPieceAt ??= now;
        Interlocked.Increment(ref _pieces);
        var room = ExcerptCharacters - _text.Length;
        if (room <= 0)
        {
            TextTruncated = true;
            return;
        }
        if (piece.Length > room)
        {
            _text.Append(piece, 0, room);
            TextTruncated = true;
            return;
        }
        _text.Append(piece);
    }
}
