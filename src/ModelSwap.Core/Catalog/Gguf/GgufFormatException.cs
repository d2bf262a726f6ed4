namespace ModelSwap.Core.Catalog.Gguf;

/// <summary>A file that is not a readable GGUF: the message says what was wrong and at which byte.</summary>
public sealed class GgufFormatException : Exception
{
    public GgufFormatException(string problem, long offset, string? path = null, Exception? inner = null)
        : base(Compose(problem, offset, path), inner)
    {
        Problem = problem;
        Offset = offset;
        FilePath = path;
    }

    /// <summary>What was wrong, without the offset and path.</summary>
    public string Problem { get; }

    /// <summary>Byte offset from the start of the file where the problem was found.</summary>
    public long Offset { get; }

    public string? FilePath { get; }

    private static string Compose(string problem, long offset, string? path) =>
        path is null ? $"Invalid GGUF at byte offset {offset}: {problem}" : $"Invalid GGUF file '{path}' at byte offset {offset}: {problem}";
}
