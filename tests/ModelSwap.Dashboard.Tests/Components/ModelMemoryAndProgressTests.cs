using Bunit;
using ModelSwap.Dashboard.Components.Models;
using ModelSwap.Gateway.Management;
using ModelSwap.Gateway.Swapping;

namespace ModelSwap.Dashboard.Tests.Components;

/// <summary>The Models page's load progress (a bar in the state chip) and memory: estimated, measured, the budget.</summary>
public sealed class ModelMemoryAndProgressTests : DashboardComponentTest
{
    private static ModelInfo Starting(int? percent) => ModelSamples.Model("demo:chat-tiny") with
    {
        Live = new ModelLiveView(ModelState.Starting, 42, 5800, null, null, 0, 1, 100L << 20, percent) { EstimatedBytes = 600L << 20 },
    };

    [Fact]
    public void A_starting_model_shows_its_load_percent_as_a_bar_in_the_chip()
    {
        var chip = Render<ModelStateChip>(p => p.Add(c => c.State, ModelState.Starting).Add(c => c.LoadPercent, 42));
        Assert.Equal("starting 42 %", chip.Find(".ms-chip-text").TextContent.Trim());
        Assert.Equal("starting", chip.Find(".ms-state-chip").GetAttribute("data-state"));
        Assert.Equal("42", chip.Find(".ms-state-chip").GetAttribute("data-progress"));
        Assert.Contains("width: 42%", chip.Find(".ms-chip-bar").GetAttribute("style"), StringComparison.Ordinal);
        Assert.Equal("42", chip.Find("[role=progressbar]").GetAttribute("aria-valuenow"));
    }

    [Theory]
    [InlineData(ModelState.Starting, null, "starting")]
    [InlineData(ModelState.Ready, 100, "ready")]
    [InlineData(ModelState.Stopped, null, "stopped")]
    public void Without_a_load_in_progress_the_chip_has_no_bar(ModelState state, int? percent, string text)
    {
        var chip = Render<ModelStateChip>(p => p.Add(c => c.State, state).Add(c => c.LoadPercent, percent));
        Assert.Equal(text, chip.Find(".ms-state-chip").TextContent.Trim());
        Assert.Empty(chip.FindAll(".ms-chip-bar"));
    }

    [Fact]
    public void The_table_shows_measured_and_estimated_memory_and_the_load_percent()
    {
        var view = Render<ModelsView>(p => p.Add(v => v.Models, [Starting(57)]).Add(v => v.BudgetBytes, 8L << 30).Add(v => v.UsedBytes, 600L << 20));
        var row = view.Find("tbody tr");
        Assert.Equal("starting 57 %", row.QuerySelector(".ms-chip-text")!.TextContent.Trim());
        Assert.Equal("100 MiB / est. 600 MiB", Normalize(row.QuerySelector("[data-testid=memory]")!.TextContent));
        Assert.Contains("memory 600 MiB of 8 GiB budget", view.Find("[data-testid=models-summary]").TextContent, StringComparison.Ordinal);
        Assert.Contains("demo:chat-tiny.gguf", row.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_details_explain_the_memory_figures()
    {
        var model = Starting(10) with
        {
            Live = Starting(10).Live with { PeakBytes = 120L << 20, BudgetedBytes = 600L << 20, BudgetSource = "estimate", WaitingFor = "stopping b to free 1 GiB" },
        };
        var details = Render<ModelDetails>(p => p.Add(d => d.Model, model));
        var memory = Normalize(details.Find("[data-testid=memory-facts]").TextContent);
        Assert.Contains("100 MiB resident, peak 120 MiB", memory, StringComparison.Ordinal);
        Assert.Contains("estimated 600 MiB; counted 600 MiB against the budget (estimate)", memory, StringComparison.Ordinal);
        Assert.Contains("stopping b to free 1 GiB", details.Markup, StringComparison.Ordinal);
    }

    private static string Normalize(string text) => string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
