using Bunit;
using ModelSwap.Dashboard.Components.Service;
using ModelSwap.Gateway.Management;
using ModelSwap.Gateway.Monitoring;

namespace ModelSwap.Dashboard.Tests.Components;

/// <summary>The Service page's CPU and memory charts: loading, error, empty, populated small multiples.</summary>
public sealed class ResourceChartsTests : DashboardComponentTest
{
    private static readonly DateTimeOffset Now = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void LoadingSaysSo() =>
        Assert.Contains("Loading the measurements", Render<ResourceCharts>().Markup, StringComparison.Ordinal);

    [Fact]
    public void AnErrorIsShown() =>
        Assert.Equal("boom", Render<ResourceCharts>(p => p.Add(c => c.Error, "boom")).Find("[role=alert]").TextContent.Trim());

    [Fact]
    public void EmptySaysWhenTheFirstComes() =>
        Assert.Contains("No measurement yet", Render<ResourceCharts>(p => p.Add(c => c.History, new ResourceHistoryView(5, 2, 1L << 30, []))).Markup,
            StringComparison.Ordinal);

    [Fact]
    public void PopulatedDrawsTheGatewayAndEachModelThatRan()
    {
        ResourceSample Sample(int minutesAgo, double cpu, long bytes, bool withModel) => new(Now.AddMinutes(-minutesAgo), new ProcessUsage(cpu, bytes),
            withModel ? [new ModelUsage("demo:chat-tiny", 42, cpu * 2, bytes * 3)] : []);
        var history = new ResourceHistoryView(5, 2, 16L << 30,
            [Sample(50, 5, 100L << 20, false), Sample(20, 10, 120L << 20, true), Sample(10, 20, 150L << 20, true), Sample(0, 1, 110L << 20, false)]);
        var charts = Render<ResourceCharts>(p => p.Add(c => c.History, history));
        var titles = charts.FindAll("[data-testid=resource-chart]").Select(c => c.GetAttribute("data-series")).ToList();
        Assert.Equal(["Gateway CPU", "Gateway memory", "demo:chat-tiny CPU", "demo:chat-tiny memory"], titles);
        var gatewayMemory = charts.FindAll("[data-testid=resource-chart]")[1];
        Assert.Contains("now 110 MiB, peak 150 MiB", gatewayMemory.TextContent, StringComparison.Ordinal);
        // The model ran between two gaps: one line segment of two points, at 40/60 and 50/60 of the hour.
        var modelCpu = charts.FindAll("[data-testid=resource-chart]")[2];
        var line = Assert.Single(modelCpu.QuerySelectorAll("polyline")).GetAttribute("points")!;
        Assert.StartsWith("666.7,", line, StringComparison.Ordinal);
        Assert.Contains(" 833.3,", line, StringComparison.Ordinal);
        Assert.Contains("peak 40 %", modelCpu.TextContent, StringComparison.Ordinal);
    }
}
