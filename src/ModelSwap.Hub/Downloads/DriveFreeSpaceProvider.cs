namespace ModelSwap.Hub.Downloads;

/// <summary>Free space of the file system holding a directory, as the current user may use it.</summary>
internal sealed class DriveFreeSpaceProvider : IFreeSpaceProvider
{
    public long GetAvailableBytes(string directory)
    {
        // DriveInfo needs an existing path; the models dir may not exist yet, so ask its nearest ancestor.
        var probe = Path.GetFullPath(directory);
        while (!Directory.Exists(probe))
        {
            var parent = Path.GetDirectoryName(probe);
            if (parent is null)
            {
                break;
            }
            probe = parent;
        }
        return new DriveInfo(probe).AvailableFreeSpace;
    }
}
