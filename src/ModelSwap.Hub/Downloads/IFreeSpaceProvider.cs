namespace ModelSwap.Hub.Downloads;

/// <summary>How many bytes can still be written under a directory. Tests pass a fake one.</summary>
public interface IFreeSpaceProvider
{
    long GetAvailableBytes(string directory);
}
