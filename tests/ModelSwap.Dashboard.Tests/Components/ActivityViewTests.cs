using Bunit;
using ModelSwap.Dashboard.Components.Activity;
using ModelSwap.Gateway.Management;
using ModelSwap.Gateway.Swapping;

namespace ModelSwap.Dashboard.Tests.Components;

public sealed class ActivityViewTests : DashboardComponentTest
{
    [Fact]
    public void Loading() => Assert.Contains("Loading the models", Render<ActivityView>().Markup, StringComparison.Ordinal);

    [Fact]
    public void Error() => Assert.Equal("nope",
        Render<ActivityView>(p => p.Add(v => v.Error, "nope")).Find("[role=alert]").TextContent.Trim());

    [Fact]
    public void EmptyWhenNothingIsLoaded() => Assert.Contains("No model is loaded",
        Render<ActivityView>(p => p.Add(v => v.Models, [ModelSamples.Model("a")])).Markup, StringComparison.Ordinal);

    [Fact]
    public void PopulatedListsLoadedModelsOnly()
    {
        var view = Render<ActivityView>(p => p.Add(v => v.Models, ModelSamples.Two));
        var rows = view.FindAll("[data-testid=activity-loaded] tbody tr");
        Assert.Single(rows);
        Assert.Contains("demo:chat-tiny", rows[0].TextContent, StringComparison.Ordinal);
    }
}
