namespace ModelSwap.Hub.Downloads;

public enum DownloadFailure
{
    /// <summary>Network trouble that retries did not get past; the .part is kept so a rerun resumes.</summary>
    Network,
    /// <summary>The downloaded bytes do not match the Hub's sha256; the .part was deleted.</summary>
    ChecksumMismatch,
    /// <summary>More or fewer bytes than the Hub listed; the .part was deleted.</summary>
    SizeMismatch,
    InsufficientSpace,
    NotFound,
    AccessDenied,
    Hub,
    /// <summary>Another job is already downloading some of the same files.</summary>
    Conflict,
}
