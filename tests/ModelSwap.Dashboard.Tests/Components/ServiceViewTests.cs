using Bunit;
using ModelSwap.Dashboard.Components.Service;
using ModelSwap.Gateway.Management;

namespace ModelSwap.Dashboard.Tests.Components;

/// <summary>The Service page's states and an action's outcome in place.</summary>
public sealed class ServiceViewTests : DashboardComponentTest
{
    private static readonly ServiceStatusView Status = new("1.2.3", DateTimeOffset.UnixEpoch, 3725, "http://127.0.0.1:8091",
        "/home/u/.modelswap/config.generated.yaml", ConfigGenerated: true, ["/home/u/models"],
        new RuntimeView(ModelRuntimes.Engine, null, null), new MachineView(8, 16L << 30, "Linux"), Models: 2, Loaded: 1,
        Pid: 4242, Running: [new RunningModelView("qwen", "ready")]);

    [Fact]
    public void LoadingSaysSo() =>
        Assert.Contains("Loading the service's status", Render<ServiceView>().Markup, StringComparison.Ordinal);

    [Fact]
    public void AnErrorIsShown()
    {
        var view = Render<ServiceView>(p => p.Add(v => v.Error, "The service's status could not be read: boom"));
        Assert.Equal("The service's status could not be read: boom", view.Find("[role=alert]").TextContent.Trim());
    }

    [Fact]
    public void PopulatedShowsTheFacts()
    {
        var view = Render<ServiceView>(p => p.Add(v => v.Status, Status).Add(v => v.ApiBaseUrl, "http://127.0.0.1:8091/v1"));
        var facts = view.Find("[data-testid=service-facts]").TextContent;
        Assert.Contains("1.2.3", facts, StringComparison.Ordinal);
        Assert.Contains("1 h 2 min", facts, StringComparison.Ordinal);
        Assert.Contains("http://127.0.0.1:8091/v1", facts, StringComparison.Ordinal);
        Assert.Contains("generated from the models folders", facts, StringComparison.Ordinal);
        Assert.Contains("the built-in engine", facts, StringComparison.Ordinal);
        Assert.Contains("8 cores, 16 GiB memory", facts, StringComparison.Ordinal);
        Assert.Equal(["Copy", "Reload config", "Regenerate config", "Unload all"],
            view.FindAll("button").Select(b => b.TextContent.Trim()).ToList());
    }

    [Fact]
    public void AFailedActionShowsTheServersMessage()
    {
        var view = Render<ServiceView>(p => p.Add(v => v.Status, Status)
            .Add(v => v.Execute, _ => throw new ManagementException(ManagementFailure.Conflict, "config_not_generated", "the config is your file; edit it and reload")));
        view.FindAll("button").First(b => b.TextContent.Trim() == "Regenerate config").Click();
        Assert.Equal("the config is your file; edit it and reload", view.Find(".ms-outcome").TextContent.Trim());
    }

    [Fact]
    public void ReloadOutcomesAreSaidInWords()
    {
        Assert.Equal("c.yaml reloaded: added b; restarting a",
            ServiceOutcomes.Describe(new ConfigReloadOutcome("c.yaml", true, ["b"], [], ["a"], [], [], [])));
        Assert.Equal("c.yaml was not applied (the last good config stays): c.yaml:3: models.a.cmd is required",
            ServiceOutcomes.Describe(new ConfigReloadOutcome("c.yaml", false, [], [], [], [], ["c.yaml:3: models.a.cmd is required"], [])));
    }
}
