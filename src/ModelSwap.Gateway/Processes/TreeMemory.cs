namespace ModelSwap.Gateway.Processes;

/// <summary>
/// Memory of a model server's whole process tree at one moment: resident now, the peak each process
/// reached (VmHWM, summed), the file-backed part (mapped model pages), and bytes read from files.
/// </summary>
internal readonly record struct TreeMemory(long ResidentBytes, long PeakResidentBytes, long FileResidentBytes, long ReadBytes, int Processes);
