using Bunit;
using ModelSwap.Dashboard.Components.Models;
using ModelSwap.Gateway.Management;

namespace ModelSwap.Dashboard.Tests.Components;

/// <summary>The per-model settings form: loading, error, populated, a save, refusals beside their fields, read-only.</summary>
public sealed class ModelSettingsFormTests : DashboardComponentTest
{
    private static readonly ModelInfo Model = ModelSamples.Model("demo:chat-tiny", aliases: ["gpt-3.5-turbo"]);

    private static ModelSettingsView View(ModelSettings settings) => new("demo:chat-tiny", "/home/u/.modelswap/models.yaml", settings, 8192, 32768);

    [Fact]
    public void LoadingSaysWhatItWaitsFor()
    {
        var never = new TaskCompletionSource<ModelSettingsView>();
        var form = Render<ModelSettingsForm>(p => p.Add(f => f.Model, Model).Add(f => f.Load, _ => never.Task));
        Assert.Contains("Loading the settings", form.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void AReadFailureShowsTheServersMessage()
    {
        var form = Render<ModelSettingsForm>(p => p.Add(f => f.Model, Model)
            .Add(f => f.Load, _ => throw new ManagementException(ManagementFailure.Failed, "x", "models.yaml:3: not valid YAML")));
        Assert.Equal("The settings could not be read: models.yaml:3: not valid YAML", form.Find("[role=alert]").TextContent.Trim());
    }

    [Fact]
    public void PopulatedFillsTheFieldsAndSavesWhatWasTyped()
    {
        ModelSettings? saved = null;
        var form = Render<ModelSettingsForm>(p => p.Add(f => f.Model, Model)
            .Add(f => f.Load, _ => Task.FromResult(View(new ModelSettings(4096, null, 600, ["mine"], ["--mlock"]))))
            .Add(f => f.Save, (_, settings) =>
            {
                saved = settings;
                return Task.FromResult(View(settings));
            }));
        var inputs = form.FindAll("input:not([type=checkbox]), textarea");
        Assert.Equal("4096", inputs[0].GetAttribute("value"));
        Assert.Equal("600", inputs[2].GetAttribute("value"));
        Assert.Equal("mine", inputs[3].GetAttribute("value"));
        Assert.Contains("now 8192, trained 32768", form.Markup, StringComparison.Ordinal);

        form.FindAll("input:not([type=checkbox]), textarea")[0].Change("2048");
        form.FindAll("input:not([type=checkbox]), textarea")[3].Change("mine, fast");
        form.FindAll("input:not([type=checkbox]), textarea")[5].Change(" demo:chat-nano ");
        form.FindAll("button").First(b => b.TextContent.Trim() == "Save").Click();

        Assert.NotNull(saved);
        Assert.Equal(2048, saved!.ContextSize);
        Assert.Equal(["mine", "fast"], saved.Aliases);
        Assert.Equal(["--mlock"], saved.ExtraArgs);
        Assert.Equal("demo:chat-nano", saved.Draft);
        Assert.Contains("Saved to models.yaml", form.Find(".ms-settings-saved").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void RefusalsShowBesideTheirFields()
    {
        var form = Render<ModelSettingsForm>(p => p.Add(f => f.Model, Model)
            .Add(f => f.Load, _ => Task.FromResult(View(new ModelSettings())))
            .Add(f => f.Save, (_, _) => throw new InvalidSettingsException("not saved",
                new Dictionary<string, string> { ["aliases"] = "'gpt-4' already names model 'other'" })));
        form.FindAll("input")[1].Change("many");
        form.FindAll("button").First(b => b.TextContent.Trim() == "Save").Click();
        // A field that is not a number is refused here, beside it, before anything is sent.
        Assert.Contains("'many' is not a whole number", form.Markup, StringComparison.Ordinal);

        form.FindAll("input")[1].Change("");
        form.FindAll("button").First(b => b.TextContent.Trim() == "Save").Click();
        Assert.Contains("'gpt-4' already names model 'other'", form.Markup, StringComparison.Ordinal);
        Assert.Contains("fix the fields marked above", form.Find(".ms-settings-error").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void WithTheUsersOwnConfigTheSettingsAreReadOnlyAndSaySoWhere()
    {
        var form = Render<ModelSettingsForm>(p => p.Add(f => f.Model, Model)
            .Add(f => f.ReadOnlyReason, "These settings come from your config file /etc/ms.yaml: edit it there."));
        Assert.Empty(form.FindAll("input"));
        Assert.Empty(form.FindAll("button"));
        Assert.Contains("8192", form.Find("[data-testid=settings-readonly]").TextContent, StringComparison.Ordinal);
        Assert.Contains("/etc/ms.yaml", form.Markup, StringComparison.Ordinal);
    }
}
