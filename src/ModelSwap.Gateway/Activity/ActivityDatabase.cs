using Microsoft.Data.Sqlite;

namespace ModelSwap.Gateway.Activity;

/// <summary>
/// The history's SQLite file: opened (created with its schema when new), checked, and when it is not a
/// database or is corrupt, moved aside (<c>activity.db.corrupt-TIME</c>, never deleted) and started anew.
/// </summary>
internal static class ActivityDatabase
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS requests (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            started INTEGER NOT NULL,
            model TEXT NOT NULL,
            route TEXT NOT NULL,
            client TEXT NOT NULL,
            user_agent TEXT,
            status INTEGER NOT NULL,
            outcome TEXT NOT NULL,
            duration_ms REAL NOT NULL,
            ttft_ms REAL,
            prompt_tokens INTEGER,
            generated_tokens INTEGER,
            tokens_per_second REAL,
            streamed INTEGER NOT NULL,
            request_excerpt TEXT NOT NULL,
            request_truncated INTEGER NOT NULL,
            response_excerpt TEXT NOT NULL,
            response_truncated INTEGER NOT NULL,
            error TEXT);
        CREATE INDEX IF NOT EXISTS requests_started ON requests(started);
        """;

    /// <summary>SQLite's codes for "this is not a database" and "the database is corrupt".</summary>
    public static bool IsCorruption(SqliteException ex) => ex.SqliteErrorCode is 11 or 26;

    /// <summary>Opens the history for writing; <paramref name="movedAside"/> names a damaged file that was moved aside.</summary>
    public static SqliteConnection OpenForWriting(string path, DateTimeOffset now, out string? movedAside)
    {
        movedAside = null;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        try
        {
            return OpenChecked(path);
        }
        catch (SqliteException ex) when (IsCorruption(ex) || ex.SqliteErrorCode == -1)
        {
            movedAside = MoveAside(path, now);
            return OpenChecked(path);
        }
    }

    /// <summary>Moves a damaged file (and its journal files) aside; returns its new name.</summary>
    public static string MoveAside(string path, DateTimeOffset now)
    {
        var aside = $"{path}.corrupt-{now.UtcDateTime:yyyyMMdd-HHmmss}";
        for (var n = 2; File.Exists(aside); n++)
        {
            aside = $"{path}.corrupt-{now.UtcDateTime:yyyyMMdd-HHmmss}-{n}";
        }
        File.Move(path, aside);
        foreach (var suffix in new[] { "-wal", "-shm" })
        {
            if (File.Exists(path + suffix))
            {
                File.Move(path + suffix, aside + suffix);
            }
        }
        return aside;
    }

    /// <summary>A read-only connection, or null while no history exists yet (no file, or the writer has not made its table).</summary>
    public static SqliteConnection? OpenForReading(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        var connection = new SqliteConnection(ConnectionString(path, SqliteOpenMode.ReadOnly));
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA busy_timeout = 5000;");
            using var table = connection.CreateCommand();
            table.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'requests';";
            if (table.ExecuteScalar() is 0L)
            {
                connection.Dispose();
                return null;
            }
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static SqliteConnection OpenChecked(string path)
    {
        var connection = new SqliteConnection(ConnectionString(path, SqliteOpenMode.ReadWriteCreate));
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;");
            using (var check = connection.CreateCommand())
            {
                check.CommandText = "PRAGMA quick_check;";
                if (check.ExecuteScalar() is not "ok")
                {
                    throw new SqliteException("the history database failed its integrity check", -1);
                }
            }
            Execute(connection, Schema);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    // No pooling: a file moved aside must really be closed, and readers must see the new one.
    private static string ConnectionString(string path, SqliteOpenMode mode) =>
        new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString();

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
