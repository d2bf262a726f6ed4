namespace ModelSwap.Gateway.Routing;

/// <summary>
/// A body written once and then read back: in memory up to a threshold, past it in a temporary file
/// deleted on close — the rule ASP.NET Core's request buffering (FileBufferingReadStream) follows, with
/// the same threshold (<see cref="RequestModelReader.MemoryThreshold"/>) and temporary folder.
/// </summary>
internal sealed class BodySpool(int memoryThreshold) : IAsyncDisposable
{
    private Stream _stream = new MemoryStream();

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (_stream is MemoryStream memory && memory.Length + data.Length > memoryThreshold)
        {
            var file = new FileStream(Path.Combine(TempDirectory, "modelswap-body-" + Path.GetRandomFileName()), FileMode.CreateNew,
                FileAccess.ReadWrite, FileShare.None, bufferSize: 16 * 1024,
                FileOptions.Asynchronous | FileOptions.DeleteOnClose | FileOptions.SequentialScan);
            memory.Position = 0;
            await memory.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            await memory.DisposeAsync().ConfigureAwait(false);
            _stream = file;
        }
        await _stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The written body, from its start; disposing it deletes the file.</summary>
    public Stream Rewind()
    {
        _stream.Position = 0;
        return _stream;
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();

    private static string TempDirectory =>
        Environment.GetEnvironmentVariable("ASPNETCORE_TEMP") is { Length: > 0 } configured ? configured : Path.GetTempPath();
}
