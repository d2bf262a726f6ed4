using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ModelSwap.Gateway.Activity;

namespace ModelSwap.Gateway.Tests.Activity;

/// <summary>The real SQLite history in a temporary folder: bounds, restarts, damaged files, filters and the summary.</summary>
public sealed class ActivityStoreTests : IDisposable
{
    private readonly string _home = Directory.CreateTempSubdirectory("modelswap-activity-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 31, 12, 0, 30, TimeSpan.Zero));

    public void Dispose() => Directory.Delete(_home, recursive: true);

    private ActivityOptions Options(int rows = 1000, TimeSpan? age = null) =>
        ActivityOptions.InHome(_home) with { MaxRows = rows, MaxAge = age ?? TimeSpan.FromDays(7) };

    private ActivityDetail Row(string model = "m", int status = 200, double? ttft = 100, double? tps = 20, string route = "POST /v1/chat/completions") =>
        new(new ActivityEntry(0, _time.GetUtcNow(), model, route, "127.0.0.1:5000", "test/1", status, status < 400 ? "completed" : "failed",
            250, ttft, 5, 10, tps, true), "{\"model\":\"m\"}", false, "hello", false, status < 400 ? null : "boom");

    /// <summary>Writes rows through a real writer (started and stopped like the host does) and waits for them to be stored.</summary>
    private async Task<List<ActivityEntry>> WriteAsync(ActivityOptions options, params ActivityDetail[] rows)
    {
        var writer = new ActivityWriter(options, _time, NullLogger<ActivityWriter>.Instance);
        var stored = new List<ActivityEntry>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        writer.Stored += e =>
        {
            lock (stored)
            {
                stored.Add(e);
                if (stored.Count == rows.Length)
                {
                    all.TrySetResult();
                }
            }
        };
        await writer.StartAsync(CancellationToken.None);
        foreach (var row in rows)
        {
            Assert.True(writer.TryRecord(row));
        }
        await all.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await writer.StopAsync(CancellationToken.None);
        return stored;
    }

    [Fact]
    public async Task Rows_survive_a_restart_and_read_back_whole()
    {
        var options = Options();
        var first = await WriteAsync(options, Row("a"));
        // A second writer on the same file: the service restarted.
        var second = await WriteAsync(options, Row("b", status: 502));
        Assert.True(second[0].Id > first[0].Id);
        var history = new ActivityHistory(options, _time);
        var page = history.List(new ActivityQuery());
        Assert.Equal(["b", "a"], page.Entries.Select(e => e.Model));
        var detail = history.Get(first[0].Id)!;
        Assert.Equal(first[0], detail.Entry);
        Assert.Equal("{\"model\":\"m\"}", detail.RequestExcerpt);
        Assert.Equal("hello", detail.ResponseExcerpt);
        Assert.Equal("boom", history.Get(second[0].Id)!.Error);
        Assert.Null(history.Get(9999));
    }

    [Fact]
    public async Task The_history_keeps_at_most_its_rows()
    {
        var options = Options(rows: 5);
        await WriteAsync(options, [.. Enumerable.Range(0, 12).Select(i => Row("m" + i))]);
        var entries = new ActivityHistory(options, _time).List(new ActivityQuery { Limit = 100 }).Entries;
        Assert.Equal(["m11", "m10", "m9", "m8", "m7"], entries.Select(e => e.Model));
    }

    [Fact]
    public async Task Rows_older_than_the_age_are_pruned()
    {
        var options = Options(age: TimeSpan.FromHours(1));
        await WriteAsync(options, Row("old"));
        _time.Advance(TimeSpan.FromHours(2));
        await WriteAsync(options, Row("new"));
        var entries = new ActivityHistory(options, _time).List(new ActivityQuery()).Entries;
        Assert.Equal(["new"], entries.Select(e => e.Model));
    }

    [Fact]
    public async Task A_corrupt_file_is_moved_aside_and_a_new_history_started()
    {
        var options = Options();
        await File.WriteAllTextAsync(options.DatabasePath, "this is not a database, it is a text file that someone put here");
        await WriteAsync(options, Row("fresh"));
        var aside = Directory.GetFiles(_home, ActivityOptions.FileName + ".corrupt-*").Single();
        Assert.StartsWith("this is not a database", await File.ReadAllTextAsync(aside));
        Assert.Equal(["fresh"], new ActivityHistory(options, _time).List(new ActivityQuery()).Entries.Select(e => e.Model));
    }

    [Fact]
    public async Task A_history_that_cannot_be_written_drops_rows_and_never_throws()
    {
        // The database path is a folder: every open fails; the writer logs and goes on.
        var options = Options() with { DatabasePath = _home };
        var writer = new ActivityWriter(options, _time, NullLogger<ActivityWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        Assert.True(writer.TryRecord(Row()));
        await writer.StopAsync(CancellationToken.None);
        Assert.True(writer.Loop.IsCompletedSuccessfully, $"{writer.Loop.Status} {writer.Loop.Exception}");
    }

    [Fact]
    public async Task Filters_and_pages_select_rows()
    {
        var options = Options();
        var rows = new List<ActivityDetail> { Row("a"), Row("b", status: 500), Row("a", route: "POST /api/chat"), Row("a", status: 404) };
        var stored = await WriteAsync(options, [.. rows]);
        var history = new ActivityHistory(options, _time);
        Assert.Equal(3, history.List(new ActivityQuery { Model = "a" }).Entries.Count);
        Assert.Equal(["b"], history.List(new ActivityQuery { StatusClass = 5 }).Entries.Select(e => e.Model));
        Assert.Single(history.List(new ActivityQuery { Route = "POST /api/" }).Entries);
        Assert.Empty(history.List(new ActivityQuery { Since = _time.GetUtcNow().AddSeconds(1) }).Entries);
        var first = history.List(new ActivityQuery { Limit = 3 });
        Assert.Equal(3, first.Entries.Count);
        Assert.NotNull(first.NextBefore);
        var next = history.List(new ActivityQuery { Limit = 3, Before = first.NextBefore });
        Assert.Equal([stored.Min(e => e.Id)], next.Entries.Select(e => e.Id));
        Assert.Null(next.NextBefore);
    }

    [Fact]
    public async Task The_summary_has_every_minute_of_the_hour_with_medians_per_model()
    {
        var options = Options();
        await WriteAsync(options, Row("a", ttft: 100, tps: 10), Row("a", ttft: 300, tps: 30), Row("a", ttft: 200, tps: null), Row("b", ttft: null));
        var summary = new ActivityHistory(options, _time).Summary();
        Assert.Equal(["a", "b"], summary.Models.Select(m => m.Model));
        var a = summary.Models[0];
        Assert.Equal(ActivitySummaryBuilder.Minutes, a.Buckets.Count);
        Assert.Equal(3, a.Requests);
        var last = a.Buckets[^1];
        Assert.Equal(3, last.Requests);
        Assert.Equal(200, last.MedianTimeToFirstTokenMs);
        Assert.Equal(20, last.MedianTokensPerSecond);
        Assert.All(a.Buckets.SkipLast(1), b => Assert.Equal(0, b.Requests));
        Assert.Null(summary.Models[1].Buckets[^1].MedianTimeToFirstTokenMs);
    }

    [Theory]
    [InlineData("7d", 7 * 24 * 60)]
    [InlineData("12h", 12 * 60)]
    [InlineData("90m", 90)]
    [InlineData("3600s", 60)]
    public void Ages_parse_with_their_unit(string text, int minutes) =>
        Assert.Equal(TimeSpan.FromMinutes(minutes), ActivityOptions.ParseMaxAge(text));

    [Theory]
    [InlineData("7")]
    [InlineData("7x")]
    [InlineData("-1d")]
    [InlineData("10s")]
    [InlineData("")]
    public void Bad_ages_are_named_in_the_error(string text) =>
        Assert.Contains($"'{text}'", Assert.Throws<FormatException>(() => ActivityOptions.ParseMaxAge(text)).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("lots")]
    public void Bad_row_bounds_are_named_in_the_error(string text) =>
        Assert.Contains($"'{text}'", Assert.Throws<FormatException>(() => ActivityOptions.ParseMaxRows(text)).Message, StringComparison.Ordinal);
}
