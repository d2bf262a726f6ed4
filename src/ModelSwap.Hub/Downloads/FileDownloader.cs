using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using ModelSwap.Hub.HuggingFace;

namespace ModelSwap.Hub.Downloads;

/// <summary>
/// Fetches one file into `&lt;final&gt;.part`, hashing while writing, resuming with Range after drops (in
/// this process) and from a sidecar left by an earlier process. Only a complete file whose sha256
/// matches is renamed into place; a mismatch deletes the .part.
/// </summary>
internal sealed partial class FileDownloader
{
    private const int BufferSize = 1 << 20;
    private readonly HubHttp _http;
    private readonly DownloadManagerOptions _options;
    private readonly ILogger _logger;

    public FileDownloader(HubHttp http, DownloadManagerOptions options, ILogger logger)
    {
        _http = http;
        _options = options;
        _logger = logger;
    }

    /// <summary>Downloads and verifies; returns the repo commit the Hub reported, if any.</summary>
    /// <param name="onBytes">Byte deltas, negative when a restart throws bytes away; the flag is true for bytes that came over the network.</param>
    public async Task<string?> DownloadAsync(FileTarget target, Action<long, bool> onBytes, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target.FinalPath)!);
        var expectedSize = target.ExpectedSize;
        var offset = target.ResumableBytes();
        var knownEtag = offset > 0 ? PartialSidecar.TryLoad(target.SidecarPath)?.Etag : null;
        if (offset == 0)
        {
            DeletePartial(target);
        }
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[BufferSize];
        string? commit = null;
        string? linkedSha = null;
        var file = new FileStream(target.PartPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 0);
        await using (file.ConfigureAwait(false))
        {
            if (offset > 0)
            {
                // One pass over the bytes already on disk, so the final hash still covers the whole file.
                await RehashPrefixAsync(file, hash, buffer, offset, ct).ConfigureAwait(false);
                LogResuming(_logger, target.RepoPath, offset);
                onBytes(offset, false);
            }
            file.SetLength(offset);
            file.Position = offset;
            var failures = 0;
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                if (expectedSize is { } size && size > 0 && offset == size)
                {
                    break;
                }
                var restartFrom = offset;
                HubResponse response;
                try
                {
                    response = await _http.GetAsync(target.Url, request =>
                    {
                        if (restartFrom > 0)
                        {
                            request.Headers.Range = new RangeHeaderValue(restartFrom, null);
                        }
                    }, ct).ConfigureAwait(false);
                }
                catch (HttpRequestException e) when (!ct.IsCancellationRequested)
                {
                    failures = await FailedAttemptAsync(target, failures, offset, e, ct).ConfigureAwait(false);
                    continue;
                }
                using (response)
                {
                    var message = response.Message;
                    commit ??= response.Trail.RepoCommit;
                    linkedSha ??= ShaFromEtag(response.Trail.LinkedEtag);
                    if (message.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
                    {
                        if (expectedSize == offset)
                        {
                            break;
                        }
                        Reset(file, hash, ref offset, onBytes);
                        failures = await FailedAttemptAsync(target, failures, offset, null, ct).ConfigureAwait(false);
                        continue;
                    }
                    if (!message.IsSuccessStatusCode)
                    {
                        var status = (int)message.StatusCode;
                        if (status is 408 or 429 or >= 500)
                        {
                            failures = await FailedAttemptAsync(target, failures, offset, new HttpRequestException($"HTTP {status}"), ct).ConfigureAwait(false);
                            continue;
                        }
                        var error = HubErrors.FromResponse(response, target.Repo, target.RepoPath, _http.Options.Endpoint);
                        throw new DownloadException(
                            error is HubAccessException ? DownloadFailure.AccessDenied : status == 404 ? DownloadFailure.NotFound : DownloadFailure.Hub,
                            error.Message, error);
                    }
                    var etag = response.Trail.LinkedEtag ?? message.Headers.ETag?.Tag;
                    long? total;
                    if (message.StatusCode == HttpStatusCode.PartialContent)
                    {
                        var range = message.Content.Headers.ContentRange;
                        var etagChanged = knownEtag is not null && etag is not null && etag != knownEtag;
                        if (range?.From != offset || etagChanged)
                        {
                            // The file changed on the server, or the range is not what we asked: the bytes on disk are useless.
                            LogRestart(_logger, target.RepoPath, etagChanged ? "the ETag changed" : "the server sent another range");
                            Reset(file, hash, ref offset, onBytes);
                            knownEtag = null;
                            failures = await FailedAttemptAsync(target, failures, offset, null, ct).ConfigureAwait(false);
                            continue;
                        }
                        total = range.Length;
                    }
                    else
                    {
                        if (offset > 0)
                        {
                            LogRestart(_logger, target.RepoPath, "the server ignored the Range header");
                            Reset(file, hash, ref offset, onBytes);
                        }
                        total = message.Content.Headers.ContentLength;
                    }
                    total ??= response.Trail.LinkedSize;
                    if (expectedSize is { } listed && total is { } served && listed != served)
                    {
                        DeletePartial(target, file);
                        throw new DownloadException(DownloadFailure.SizeMismatch,
                            $"{target.RepoPath}: the Hub listed {listed} bytes but the server sends {served}; the file may have changed. List the repo again and retry.");
                    }
                    expectedSize ??= total;
                    knownEtag = etag;
                    (target with { ExpectedSize = expectedSize }).NewSidecar(etag).Save(target.SidecarPath);
                    var before = offset;
                    var dropped = await CopyBodyAsync(message, file, hash, expectedSize, target, ct, n =>
                    {
                        offset += n;
                        onBytes(n, true);
                    }).ConfigureAwait(false);
                    if (dropped is null)
                    {
                        break;
                    }
                    if (offset > before)
                    {
                        failures = 0;
                    }
                    failures = await FailedAttemptAsync(target, failures, offset, dropped, ct).ConfigureAwait(false);
                }
            }
            await file.FlushAsync(ct).ConfigureAwait(false);
            if (_options.FlushToDisk)
            {
                file.Flush(flushToDisk: true);
            }
        }
        if (expectedSize is { } expected && offset != expected)
        {
            DeletePartial(target);
            throw new DownloadException(DownloadFailure.SizeMismatch, $"{target.RepoPath}: got {offset} bytes, expected {expected}; the partial file was deleted.");
        }
        var actual = Convert.ToHexStringLower(hash.GetHashAndReset());
        var wanted = target.Sha256 ?? linkedSha;
        if (wanted is not null && !string.Equals(actual, wanted, StringComparison.OrdinalIgnoreCase))
        {
            DeletePartial(target);
            throw new DownloadException(DownloadFailure.ChecksumMismatch,
                $"{target.RepoPath}: sha256 mismatch (got {actual}, the Hub lists {wanted.ToLowerInvariant()}); the downloaded bytes are corrupt and were deleted. Run the pull again.");
        }
        File.Move(target.PartPath, target.FinalPath, overwrite: true);
        File.Delete(target.SidecarPath);
        LogDone(_logger, target.RepoPath, offset, wanted is not null);
        return commit;
    }

    /// <summary>Streams the body to disk. Returns null at a clean end, or the error that cut it short.</summary>
    private async Task<Exception?> CopyBodyAsync(
        HttpResponseMessage message, FileStream file, IncrementalHash hash, long? expectedSize,
        FileTarget target, CancellationToken ct, Action<int> advanced)
    {
        Stream body;
        try
        {
            body = await message.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is IOException or HttpRequestException)
        {
            return e;
        }
        await using (body.ConfigureAwait(false))
        {
            return await BodyCopier.CopyAsync(body, file, hash, expectedSize, _options.StallTimeout, advanced, limit =>
            {
                DeletePartial(target, file);
                return new DownloadException(DownloadFailure.SizeMismatch,
                    $"{target.RepoPath}: the server sent more than the {limit} bytes the Hub listed; the partial file was deleted.");
            }, ct).ConfigureAwait(false);
        }
    }

    private async Task<int> FailedAttemptAsync(FileTarget target, int failures, long offset, Exception? error, CancellationToken ct)
    {
        failures++;
        if (failures > _options.MaxResumeAttempts)
        {
            throw new DownloadException(DownloadFailure.Network,
                $"{target.RepoPath}: download interrupted at {offset} bytes ({error?.Message ?? "restarted too often"}) after {failures - 1} resumes. "
                + $"The partial file {target.PartPath} is kept; run the same pull again to resume.", error);
        }
        var delay = TimeSpan.FromTicks(_options.ResumeDelay.Ticks * (1L << Math.Min(failures - 1, 6)));
        LogDropped(_logger, target.RepoPath, offset, failures, error?.Message ?? "restart", delay);
        await Task.Delay(delay, _options.TimeProvider, ct).ConfigureAwait(false);
        return failures;
    }

    private static void Reset(FileStream file, IncrementalHash hash, ref long offset, Action<long, bool> onBytes)
    {
        file.SetLength(0);
        file.Position = 0;
        hash.GetHashAndReset();
        onBytes(-offset, false);
        offset = 0;
    }

    private static async Task RehashPrefixAsync(FileStream file, IncrementalHash hash, byte[] buffer, long length, CancellationToken ct)
    {
        file.Position = 0;
        var remaining = length;
        while (remaining > 0)
        {
            var read = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), ct).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException($"The partial file {file.Name} shrank while being read.");
            }
            hash.AppendData(buffer, 0, read);
            remaining -= read;
        }
    }

    internal static void DeletePartial(FileTarget target, FileStream? open = null)
    {
        open?.Dispose();
        File.Delete(target.PartPath);
        File.Delete(target.SidecarPath);
    }

    private static string? ShaFromEtag(string? etag)
    {
        var text = etag?.Trim().TrimStart('W', '/').Trim('"');
        return text is { Length: 64 } && text.All(char.IsAsciiHexDigit) ? text.ToLowerInvariant() : null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming {File} at byte {Offset}")]
    private static partial void LogResuming(ILogger logger, string file, long offset);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Restarting {File} from zero: {Reason}")]
    private static partial void LogRestart(ILogger logger, string file, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Download of {File} interrupted at {Offset} (attempt {Attempt}: {Error}); resuming in {Delay}")]
    private static partial void LogDropped(ILogger logger, string file, long offset, int attempt, string error, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Information, Message = "Downloaded {File} ({Bytes} bytes, sha256 verified: {Verified})")]
    private static partial void LogDone(ILogger logger, string file, long bytes, bool verified);
}
