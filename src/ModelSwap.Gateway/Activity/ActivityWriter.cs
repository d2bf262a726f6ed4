using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ModelSwap.Gateway.Activity;

/// <summary>
/// The one owner of the history's write connection: rows arrive on a bounded queue (a request only
/// ever offers its row, never waits), are written in batches, and the history is kept within its
/// bounds (rows and age). A full disk or a broken file costs rows, never a request: it is logged, a
/// corrupt file is moved aside and a new one started, and writing goes on.
/// </summary>
internal sealed partial class ActivityWriter : IHostedService
{
    private const int QueueLength = 4096;
    private const int BatchSize = 256;

    private readonly Channel<ActivityDetail> _queue = Channel.CreateBounded<ActivityDetail>(new BoundedChannelOptions(QueueLength)
    {
        FullMode = BoundedChannelFullMode.DropWrite,
        SingleReader = true,
    });
    private readonly ActivityOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ActivityWriter> _logger;
    private SqliteConnection? _connection;
    private bool _failing;

    public ActivityWriter(ActivityOptions options, TimeProvider time, ILogger<ActivityWriter> logger)
    {
        _options = options;
        _time = time;
        _logger = logger;
    }

    /// <summary>Raised on the writer's thread for each row once it is stored (with its id).</summary>
    public event Action<ActivityEntry>? Stored;

    public ActivityOptions Options => _options;

    /// <summary>Offers a row; false when the queue is full (or the writer stopped) and the row is dropped.</summary>
    public bool TryRecord(ActivityDetail row) => _queue.Writer.TryWrite(row);

    /// <summary>The writing loop; it ends once the writer stopped and its queue is written.</summary>
    internal Task Loop { get; private set; } = Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Not tied to any token: the loop runs until the queue is completed, so queued rows are never cut off.
        Loop = Task.Run(WriteLoopAsync, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Rows already queued are written before the writer stops (unless the host's own stop timeout ends first).
        _queue.Writer.TryComplete();
        await Loop.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<ActivityDetail>(BatchSize);
        try
        {
            // Opened at start: a damaged file is moved aside now, and readers find the table before the first row.
            TryOpen();
            while (await _queue.Reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (batch.Count < BatchSize && _queue.Reader.TryRead(out var row))
                {
                    batch.Add(row);
                }
                WriteBatch(batch);
                batch.Clear();
            }
        }
        finally
        {
            _connection?.Dispose();
            _connection = null;
        }
    }

    private void WriteBatch(List<ActivityDetail> batch)
    {
        IReadOnlyList<ActivityEntry> stored;
        try
        {
            stored = Insert(EnsureOpen(), batch);
            Prune(_connection!);
            if (_failing)
            {
                _failing = false;
                LogRecovered(_options.DatabasePath);
            }
        }
        catch (SqliteException ex) when (ActivityDatabase.IsCorruption(ex))
        {
            Reset();
            try
            {
                var aside = ActivityDatabase.MoveAside(_options.DatabasePath, _time.GetUtcNow());
                LogMovedAside(_options.DatabasePath, aside, ex.Message);
            }
            catch (IOException move)
            {
                LogWriteFailed(_options.DatabasePath, batch.Count, move);
            }
            return;
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            // Disk full, read-only folder, locked file: the rows are lost, the service goes on.
            Reset();
            if (!_failing)
            {
                _failing = true;
                LogWriteFailed(_options.DatabasePath, batch.Count, ex);
            }
            return;
        }
        foreach (var entry in stored)
        {
            try
            {
                Stored?.Invoke(entry);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogListenerFailed(ex);
            }
        }
    }

    private void TryOpen()
    {
        try
        {
            EnsureOpen();
        }
        catch (Exception ex) when (ex is SqliteException or IOException or UnauthorizedAccessException)
        {
            _failing = true;
            LogWriteFailed(_options.DatabasePath, 0, ex);
        }
    }

    private SqliteConnection EnsureOpen()
    {
        if (_connection is null)
        {
            _connection = ActivityDatabase.OpenForWriting(_options.DatabasePath, _time.GetUtcNow(), out var movedAside);
            if (movedAside is not null)
            {
                LogMovedAside(_options.DatabasePath, movedAside, "it is not a readable SQLite database");
            }
        }
        return _connection;
    }

    private void Reset()
    {
        _connection?.Dispose();
        _connection = null;
    }

    private static List<ActivityEntry> Insert(SqliteConnection connection, List<ActivityDetail> batch)
    {
        var stored = new List<ActivityEntry>(batch.Count);
        using var transaction = connection.BeginTransaction();
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            INSERT INTO requests (started, model, route, client, user_agent, status, outcome, duration_ms, ttft_ms, prompt_tokens,
                generated_tokens, tokens_per_second, streamed, request_excerpt, request_truncated, response_excerpt, response_truncated, error)
            VALUES ($started, $model, $route, $client, $agent, $status, $outcome, $duration, $ttft, $prompt, $generated, $tps, $streamed,
                $request, $requestCut, $response, $responseCut, $error)
            RETURNING id;
            """;
        foreach (var row in batch)
        {
            var e = row.Entry;
            command.Parameters.Clear();
            command.Parameters.AddWithValue("$started", e.Time.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$model", e.Model);
            command.Parameters.AddWithValue("$route", e.Route);
            command.Parameters.AddWithValue("$client", e.Client);
            command.Parameters.AddWithValue("$agent", (object?)e.UserAgent ?? DBNull.Value);
            command.Parameters.AddWithValue("$status", e.Status);
            command.Parameters.AddWithValue("$outcome", e.Outcome);
            command.Parameters.AddWithValue("$duration", e.DurationMs);
            command.Parameters.AddWithValue("$ttft", (object?)e.TimeToFirstTokenMs ?? DBNull.Value);
            command.Parameters.AddWithValue("$prompt", (object?)e.PromptTokens ?? DBNull.Value);
            command.Parameters.AddWithValue("$generated", (object?)e.GeneratedTokens ?? DBNull.Value);
            command.Parameters.AddWithValue("$tps", (object?)e.TokensPerSecond ?? DBNull.Value);
            command.Parameters.AddWithValue("$streamed", e.Streamed);
            command.Parameters.AddWithValue("$request", row.RequestExcerpt);
            command.Parameters.AddWithValue("$requestCut", row.RequestTruncated);
            command.Parameters.AddWithValue("$response", row.ResponseExcerpt);
            command.Parameters.AddWithValue("$responseCut", row.ResponseTruncated);
            command.Parameters.AddWithValue("$error", (object?)row.Error ?? DBNull.Value);
            var id = (long)command.ExecuteScalar()!;
            stored.Add(e with { Id = id });
        }
        transaction.Commit();
        return stored;
    }

    /// <summary>Keeps the history within its bounds: nothing older than the age, no more than the rows.</summary>
    private void Prune(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            DELETE FROM requests WHERE started < $cutoff;
            DELETE FROM requests WHERE id <= (SELECT id FROM requests ORDER BY id DESC LIMIT 1 OFFSET $rows);
            """;
        command.Parameters.AddWithValue("$cutoff", (_time.GetUtcNow() - _options.MaxAge).ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$rows", _options.MaxRows);
        command.ExecuteNonQuery();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The request history {Path} could not be written ({Rows} requests not recorded); requests are served all the same")]
    private partial void LogWriteFailed(string path, int rows, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "The request history {Path} is written again")]
    private partial void LogRecovered(string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The request history {Path} was damaged ({Reason}): moved aside to {Aside}, a new one is started")]
    private partial void LogMovedAside(string path, string aside, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A listener of the request history failed")]
    private partial void LogListenerFailed(Exception exception);
}
