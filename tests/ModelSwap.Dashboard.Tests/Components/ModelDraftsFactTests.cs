using Bunit;
using ModelSwap.Dashboard.Components.Models;
using ModelSwap.Gateway.Management;

namespace ModelSwap.Dashboard.Tests.Components;

/// <summary>The details panel's "Draft models" line: the management layer's suggestions, or why there are none.</summary>
public sealed class ModelDraftsFactTests : DashboardComponentTest
{
    private static readonly ModelInfo Target = ModelSamples.Model("qwen2.5:7b-instruct");

    [Fact]
    public void The_details_list_the_suggested_drafts_and_the_one_models_yaml_sets()
    {
        var asked = new List<string>();
        var details = Render<ModelDetails>(p => p.Add(d => d.Model, Target).Add(d => d.LoadDrafts, id =>
        {
            asked.Add(id);
            return Task.FromResult(new ModelDraftsView(id, ["qwen2.5:0.5b-instruct", "qwen2.5:1.5b-instruct"], "qwen2.5:0.5b-instruct"));
        }));
        var line = details.WaitForElement("[data-testid=model-drafts]");
        Assert.Equal(["qwen2.5:7b-instruct"], asked);
        Assert.Contains("qwen2.5:0.5b-instruct, qwen2.5:1.5b-instruct", line.TextContent, StringComparison.Ordinal);
        Assert.Contains("models.yaml sets draft: qwen2.5:0.5b-instruct", line.TextContent, StringComparison.Ordinal);
        Assert.Equal("Draft models", line.PreviousElementSibling!.TextContent);
    }

    [Fact]
    public void Without_suggestions_the_line_says_why()
    {
        var details = Render<ModelDetails>(p => p.Add(d => d.Model, Target)
            .Add(d => d.LoadDrafts, id => Task.FromResult(new ModelDraftsView(id, [], null))));
        var line = details.Find("[data-testid=model-drafts]");
        Assert.Equal("none: no smaller model with the same vocabulary", line.TextContent.Trim());
    }

    [Fact]
    public void A_failed_lookup_is_shown_in_the_line()
    {
        var details = Render<ModelDetails>(p => p.Add(d => d.Model, Target)
            .Add(d => d.LoadDrafts, _ => Task.FromException<ModelDraftsView>(new ManagementException(ManagementFailure.NotFound, "model_not_found", "no model 'x'"))));
        Assert.Contains("no model 'x'", details.Find("[data-testid=model-drafts] [role=alert]").TextContent, StringComparison.Ordinal);
    }
}
