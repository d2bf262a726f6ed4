using System.Runtime.InteropServices;

namespace ModelSwap.Hub.Downloads;

/// <summary>
/// Starts the kernel's writeback of what was just written (Linux sync_file_range, SYNC_FILE_RANGE_WRITE),
/// so the fsync before the final rename finds little left to flush: durability without a multi-second
/// pause at 100%. Elsewhere, or if the call fails, it does nothing and the final fsync does all the work.
/// </summary>
internal sealed class WritebackHint
{
    private const long Step = 16L << 20;
    private const uint SyncFileRangeWrite = 2;
    private static bool s_unavailable = !OperatingSystem.IsLinux();
    private readonly FileStream _file;
    private long _flushedUpTo;

    public WritebackHint(FileStream file)
    {
        _file = file;
        _flushedUpTo = file.Position;
    }

    public void Written(long position)
    {
        if (s_unavailable || position - _flushedUpTo < Step)
        {
            return;
        }
        try
        {
            var fd = (int)_file.SafeFileHandle.DangerousGetHandle();
            if (SyncFileRange(fd, _flushedUpTo, position - _flushedUpTo, SyncFileRangeWrite) != 0)
            {
                s_unavailable = true;
            }
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            s_unavailable = true;
        }
        _flushedUpTo = position;
    }

    // DllImport rather than LibraryImport: the latter needs unsafe code enabled for the whole project.
    [DllImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static extern int SyncFileRange(int fd, long offset, long nbytes, uint flags);
}
