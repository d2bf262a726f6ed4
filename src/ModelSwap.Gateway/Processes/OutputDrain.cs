namespace ModelSwap.Gateway.Processes;

/// <summary>
/// Reads one of a child's output pipes on a dedicated thread until end of file. A pipe read
/// blocks; doing it on a thread-pool thread would starve the pool with several models loaded.
/// The child never waits on us: each line is handed to a non-blocking sink.
/// </summary>
internal sealed class OutputDrain
{
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private OutputDrain()
    {
    }

    /// <summary>Completes at end of file (every holder of the pipe's write end has closed it).</summary>
    public Task Completed => _completed.Task;

    public static OutputDrain Start(Stream stream, string threadName, Action<string> onLine)
    {
        var drain = new OutputDrain();
        var thread = new Thread(() => drain.Run(stream, onLine)) { IsBackground = true, Name = threadName };
        thread.Start();
        return drain;
    }

    private void Run(Stream stream, Action<string> onLine)
    {
        var splitter = new LineSplitter(onLine);
        var buffer = new byte[8192];
        try
        {
            int read;
            while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
            {
                splitter.Write(buffer.AsSpan(0, read));
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The pipe was closed under us (process disposed): treat it as the end of output.
        }
        finally
        {
            splitter.Complete();
            stream.Dispose();
            _completed.TrySetResult();
        }
    }
}
