using System.Net;
using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Engine.Hosting;
using ModelSwap.Engine.Tests.Support;

namespace ModelSwap.Engine.Tests.Templates;

/// <summary>The engine renders chat requests with the GGUF's own template, errors included.</summary>
public sealed class ModelTemplateInEngineTests(TinyModels models) : IClassFixture<TinyModels>
{
    private static readonly string Fixtures = Path.Combine(RepositoryPaths.Root, "tests", "ModelSwap.Engine.Tests", "Templates", "Fixtures");

    [Fact]
    public async Task The_models_own_template_is_used_and_its_raise_exception_is_a_400()
    {
        var path = Path.Combine(models.Directory, "gemma-2.gguf");
        TinyModelBuilder.Write(path, new TinyModelOptions { ChatTemplate = File.ReadAllText(Path.Combine(Fixtures, "gemma-2.jinja")) });
        await using var engine = await TestEngine.StartAsync(new EngineOptions { ModelPath = path });
        Assert.Null(engine.Host.State.Ready!.Model.ChatFormatter.FallbackReason);

        var (status, body) = await HttpJson.PostAsync(engine.Http, "/v1/chat/completions",
            """{"messages":[{"role":"system","content":"be brief"},{"role":"user","content":"hi"}],"max_tokens":2}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("System role not supported", HttpJson.ErrorMessage(body));

        (status, body) = await HttpJson.PostAsync(engine.Http, "/v1/chat/completions",
            """{"messages":[{"role":"user","content":"hi"}],"max_tokens":2}""");
        Assert.Equal(HttpStatusCode.OK, status);
        // <s><start_of_turn>user\nhi<end_of_turn>\n<start_of_turn>model\n is longer than ChatML's wrapping.
        Assert.True(body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32() > 10);
    }
}
