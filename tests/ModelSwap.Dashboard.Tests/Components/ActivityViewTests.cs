using Bunit;
using ModelSwap.Dashboard.Components.Activity;
using ModelSwap.Gateway.Activity;
using ModelSwap.Gateway.Management;

namespace ModelSwap.Dashboard.Tests.Components;

public sealed class ActivityViewTests : DashboardComponentTest
{
    private static readonly DateTimeOffset Now = new(2026, 1, 31, 12, 0, 0, TimeSpan.Zero);

    private static ActivityEntry Entry(long id, string model, int status = 200, string outcome = "completed") =>
        new(id, Now, model, "POST /v1/chat/completions", "127.0.0.1:5000", "curl/8", status, outcome, 1234, 210, 12, 40, 33.3, true);

    private static ActivitySummary Summary(params string[] models) => new(Now.AddMinutes(-59), Now, 60,
        [.. models.Select(m => new ModelActivitySeries(m, 2, 80,
            [.. Enumerable.Range(0, 60).Select(i => new ActivityBucket(Now.AddMinutes(i - 59), i == 59 ? 2 : 0, i == 59 ? 210 : null, i == 59 ? 33.3 : null))]))]);

    [Fact]
    public void Loading()
    {
        var markup = Render<ActivityView>().Markup;
        Assert.Contains("Loading the requests in flight", markup, StringComparison.Ordinal);
        Assert.Contains("Loading the history", markup, StringComparison.Ordinal);
        Assert.Contains("Summing up the last hour", markup, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_are_shown_in_place()
    {
        var view = Render<ActivityView>(p => p
            .Add(v => v.InFlightError, "in flight broke")
            .Add(v => v.HistoryError, "the history cannot be read: disk I/O error")
            .Add(v => v.SummaryError, "summary broke"));
        var alerts = view.FindAll("[role=alert]").Select(a => a.TextContent.Trim()).ToList();
        Assert.Equal(["in flight broke", "summary broke", "the history cannot be read: disk I/O error"], alerts);
    }

    [Fact]
    public void Empty()
    {
        var view = Render<ActivityView>(p => p
            .Add(v => v.InFlight, [])
            .Add(v => v.History, new ActivityPage([], null))
            .Add(v => v.Summary, Summary()));
        Assert.Contains("No request is running", view.Find("[data-testid=inflight-empty]").TextContent, StringComparison.Ordinal);
        Assert.Contains("No request has finished yet", view.Find("[data-testid=history-empty]").TextContent, StringComparison.Ordinal);
        Assert.Contains("No request in the last hour", view.Find("[data-testid=charts-empty]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Populated_with_a_cancel_button_per_request_a_row_per_entry_and_charts_per_model()
    {
        string? cancelled = null;
        long? selected = null;
        var view = Render<ActivityView>(p => p
            .Add(v => v.InFlight, [new InFlightRequestView("req-7", "demo:chat-tiny", "127.0.0.1:4000", "curl/8", "POST /v1/chat/completions", "forwarding", 42, Now, 3.5, 17)])
            .Add(v => v.OnCancel, id => cancelled = id)
            .Add(v => v.History, new ActivityPage([Entry(2, "demo:chat-tiny"), Entry(1, "other", 503, "cancelled")], 1))
            .Add(v => v.OnSelect, id => selected = id)
            .Add(v => v.Summary, Summary("demo:chat-tiny", "other")));

        var inflight = view.Find("[data-testid=inflight] tbody tr");
        Assert.Contains("17", inflight.TextContent, StringComparison.Ordinal);
        Assert.Contains("3.5 s", inflight.TextContent, StringComparison.Ordinal);
        inflight.QuerySelector("button")!.Click();
        Assert.Equal("req-7", cancelled);

        var rows = view.FindAll("[data-testid=history] tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Contains("33.3 tok/s", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("cancelled", rows[1].TextContent, StringComparison.Ordinal);
        Assert.NotNull(view.FindAll("button").FirstOrDefault(b => b.TextContent.Trim() == "Older"));
        rows[1].Click();
        Assert.Equal(1, selected);

        Assert.Equal(2, view.FindAll("[data-testid=activity-charts] h3").Count);
        Assert.Equal(6, view.FindAll("[data-testid=activity-charts] figure").Count);
        Assert.NotEmpty(view.FindAll("[data-testid=activity-charts] rect"));
    }

    [Fact]
    public void The_viewer_shows_excerpts_and_why_a_request_failed()
    {
        var detail = new ActivityDetail(Entry(1, "other", 503, "cancelled"), "{\"model\":\"other\"}", false, "partial text", true, "the request was cancelled");
        var view = Render<ActivityView>(p => p
            .Add(v => v.History, new ActivityPage([detail.Entry], null))
            .Add(v => v.SelectedId, 1L)
            .Add(v => v.Detail, detail));
        Assert.Contains("\"model\": \"other\"", view.Find("[data-testid=request-excerpt]").TextContent, StringComparison.Ordinal);
        Assert.Equal("partial text", view.Find("[data-testid=response-excerpt]").TextContent);
        Assert.Contains("the request was cancelled", view.Find("[data-testid=request-viewer]").TextContent, StringComparison.Ordinal);
        Assert.Contains("(cut)", view.Find("[data-testid=request-viewer]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_chart_writes_its_top_value_and_its_time_span()
    {
        var view = Render<ActivityCharts>(p => p.Add(c => c.Summary, Summary("demo:chat-tiny")));
        var charts = view.FindAll("[data-testid=activity-charts] figure");
        Assert.Equal(3, charts.Count);
        // The highest bar of each series, in its unit: 2 requests in the last minute, 210 ms, 33.3 tok/s.
        Assert.Equal(["2 /min", "210 ms", "33.3 tok/s"], charts.Select(c => c.QuerySelector("[data-testid=spark-max]")!.TextContent.Trim()));
        var start = Now.AddMinutes(-59).ToLocalTime().ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var chart in charts)
        {
            var time = chart.QuerySelectorAll("[data-testid=spark-time] span").Select(s => s.TextContent.Trim()).ToList();
            Assert.Equal([start, "now"], time);
        }
    }
}
