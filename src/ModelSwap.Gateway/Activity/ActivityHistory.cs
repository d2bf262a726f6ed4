using System.Text;
using Microsoft.Data.Sqlite;

namespace ModelSwap.Gateway.Activity;

/// <summary>
/// Reads the history (each read on its own read-only connection, beside the writer's): pages of rows
/// by filter, one row with its excerpts, and the last hour's minutes for the charts.
/// </summary>
internal sealed class ActivityHistory(ActivityOptions options, TimeProvider time)
{
    private const string Columns = "id, started, model, route, client, user_agent, status, outcome, duration_ms, ttft_ms, prompt_tokens, " +
        "generated_tokens, tokens_per_second, streamed";

    public ActivityPage List(ActivityQuery query)
    {
        using var connection = ActivityDatabase.OpenForReading(options.DatabasePath);
        if (connection is null)
        {
            return new ActivityPage([], null);
        }
        using var command = connection.CreateCommand();
        var where = new StringBuilder("1 = 1");
        if (query.Model is { } model)
        {
            where.Append(" AND model = $model");
            command.Parameters.AddWithValue("$model", model);
        }
        if (query.Route is { } route)
        {
            where.Append(" AND substr(route, 1, length($route)) = $route");
            command.Parameters.AddWithValue("$route", route);
        }
        if (query.StatusClass is { } statusClass)
        {
            where.Append(" AND status / 100 = $class");
            command.Parameters.AddWithValue("$class", statusClass);
        }
        if (query.Since is { } since)
        {
            where.Append(" AND started >= $since");
            command.Parameters.AddWithValue("$since", since.ToUnixTimeMilliseconds());
        }
        if (query.Until is { } until)
        {
            where.Append(" AND started < $until");
            command.Parameters.AddWithValue("$until", until.ToUnixTimeMilliseconds());
        }
        if (query.Before is { } before)
        {
            where.Append(" AND id < $before");
            command.Parameters.AddWithValue("$before", before);
        }
        command.CommandText = $"SELECT {Columns} FROM requests WHERE {where} ORDER BY id DESC LIMIT $limit";
        command.Parameters.AddWithValue("$limit", query.Limit + 1);
        var entries = new List<ActivityEntry>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                entries.Add(ReadEntry(reader));
            }
        }
        if (entries.Count > query.Limit)
        {
            entries.RemoveAt(entries.Count - 1);
            return new ActivityPage(entries, entries[^1].Id);
        }
        return new ActivityPage(entries, null);
    }

    /// <summary>One row with its excerpts; null when there is none (never recorded, or pruned).</summary>
    public ActivityDetail? Get(long id)
    {
        using var connection = ActivityDatabase.OpenForReading(options.DatabasePath);
        if (connection is null)
        {
            return null;
        }
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns}, request_excerpt, request_truncated, response_excerpt, response_truncated, error FROM requests WHERE id = $id";
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new ActivityDetail(ReadEntry(reader), reader.GetString(14), reader.GetBoolean(15), reader.GetString(16), reader.GetBoolean(17),
                reader.IsDBNull(18) ? null : reader.GetString(18))
            : null;
    }

    /// <summary>The last hour, per model, in minutes.</summary>
    public ActivitySummary Summary()
    {
        var to = time.GetUtcNow();
        var from = ActivitySummaryBuilder.FirstMinute(to);
        var rows = new List<ActivityEntry>();
        using (var connection = ActivityDatabase.OpenForReading(options.DatabasePath))
        {
            if (connection is not null)
            {
                using var command = connection.CreateCommand();
                command.CommandText = $"SELECT {Columns} FROM requests WHERE started >= $from ORDER BY started";
                command.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
                using var reader = command.ExecuteReader();
                while (reader.Read())
                {
                    rows.Add(ReadEntry(reader));
                }
            }
        }
        return ActivitySummaryBuilder.Build(rows, to);
    }

    private static ActivityEntry ReadEntry(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.IsDBNull(5) ? null : reader.GetString(5),
        reader.GetInt32(6),
        reader.GetString(7),
        reader.GetDouble(8),
        reader.IsDBNull(9) ? null : reader.GetDouble(9),
        reader.IsDBNull(10) ? null : reader.GetInt32(10),
        reader.IsDBNull(11) ? null : reader.GetInt32(11),
        reader.IsDBNull(12) ? null : reader.GetDouble(12),
        reader.GetBoolean(13));

}
