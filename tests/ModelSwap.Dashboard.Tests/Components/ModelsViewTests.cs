using Bunit;
using ModelSwap.Dashboard.Components.Models;
using ModelSwap.Gateway.Management;

namespace ModelSwap.Dashboard.Tests.Components;

/// <summary>The Models page's states: loading, error, empty, populated, and an action's failure in place.</summary>
public sealed class ModelsViewTests : DashboardComponentTest
{
    [Fact]
    public void LoadingSaysWhatItWaitsFor()
    {
        var view = Render<ModelsView>(p => p.Add(v => v.Models, null));
        Assert.Contains("Loading the models", view.Markup, StringComparison.Ordinal);
        Assert.Empty(view.FindAll("table"));
    }

    [Fact]
    public void AnErrorShowsTheServersMessage()
    {
        var view = Render<ModelsView>(p => p.Add(v => v.Models, null).Add(v => v.Error, "The models could not be listed: disk on fire"));
        Assert.Equal("The models could not be listed: disk on fire", view.Find("[role=alert]").TextContent.Trim());
        Assert.DoesNotContain("Loading the models", view.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void EmptyPointsToTheModelManager()
    {
        var view = Render<ModelsView>(p => p.Add(v => v.Models, Array.Empty<ModelInfo>()));
        Assert.Contains("No models yet", view.Markup, StringComparison.Ordinal);
        Assert.NotNull(view.Find("a[href='/ui/manager']"));
    }

    [Fact]
    public void PopulatedShowsARowPerModelWithItsStateAndActions()
    {
        var view = Render<ModelsView>(p => p.Add(v => v.Models, ModelSamples.Two));
        var rows = view.FindAll("tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Contains("gpt-3.5-turbo", rows[0].TextContent, StringComparison.Ordinal);
        Assert.Equal("ready", rows[0].QuerySelector(".ms-state-chip")!.GetAttribute("data-state"));
        Assert.Equal("stopped", rows[1].QuerySelector(".ms-state-chip")!.GetAttribute("data-state"));
        var readyButtons = rows[0].QuerySelectorAll("button").Select(b => b.TextContent.Trim()).ToList();
        Assert.Equal(["Unload", "Restart", "Delete"], readyButtons);
        var stoppedButtons = rows[1].QuerySelectorAll("button").Select(b => b.TextContent.Trim()).ToList();
        Assert.Equal(["Load", "Delete"], stoppedButtons);
        Assert.Contains("2 models, 1 loaded", view.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void TheFilterKeepsMatchingModels()
    {
        var view = Render<ModelsView>(p => p.Add(v => v.Models, ModelSamples.Two));
        view.Find("input").Input("embed");
        view.WaitForAssertion(() => Assert.Single(view.FindAll("tbody tr")), TimeSpan.FromSeconds(60));
        Assert.Contains("demo:embed-tiny", view.Find("tbody tr").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void AFailedActionShowsTheMessageInItsRow()
    {
        var view = Render<ModelsView>(p => p
            .Add(v => v.Models, ModelSamples.Two)
            .Add(v => v.Execute, _ => throw new ManagementException(ManagementFailure.Failed, "start_failed", "the server exited with code 1: bad magic")));
        view.FindAll("tbody tr")[1].QuerySelectorAll("button").First(b => b.TextContent.Trim() == "Load").Click();
        var row = view.FindAll("tbody tr")[1];
        Assert.Equal("the server exited with code 1: bad magic", row.QuerySelector(".ms-error")!.TextContent.Trim());
        Assert.Equal("failed", row.QuerySelector(".ms-state-chip")!.GetAttribute("data-state"));
    }

    [Fact]
    public void ClickingARowOpensItsDetails()
    {
        var view = Render<ModelsView>(p => p.Add(v => v.Models, ModelSamples.Two));
        view.FindAll("tbody tr")[0].QuerySelector("td")!.Click();
        var details = view.Find(".ms-details");
        Assert.Contains("/models/demo:chat-tiny.gguf", details.TextContent, StringComparison.Ordinal);
        Assert.Contains("modelswap engine --model", details.TextContent, StringComparison.Ordinal);
    }
}
