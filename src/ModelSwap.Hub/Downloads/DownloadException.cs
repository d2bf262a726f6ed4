namespace ModelSwap.Hub.Downloads;

/// <summary>A download failed; the message is for users and says what happened to the partial file.</summary>
public sealed class DownloadException : Exception
{
    public DownloadException(DownloadFailure kind, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
    }

    public DownloadFailure Kind { get; }
}
