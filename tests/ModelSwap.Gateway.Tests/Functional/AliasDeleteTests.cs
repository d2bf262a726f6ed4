using System.Net;
using System.Text.Json.Nodes;

namespace ModelSwap.Gateway.Tests.Functional;

/// <summary>A delete by an automatic alias is refused, naming the model the alias points at now.</summary>
public sealed class AliasDeleteTests
{
    [Fact]
    public async Task Deleting_by_an_automatic_alias_is_refused_naming_its_model()
    {
        await using var host = await GatewayTestHost.StartAsync($"""
            models:
              qwen2.5:0.5b-instruct:
                cmd: {GatewayTestHost.FakeCmd("a")}
                aliases: [text-davinci-003]
            """);
        using var response = await host.Client.DeleteAsync("/api/models/text-davinci-003");
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("automatic_alias", error["code"]!.GetValue<string>());
        Assert.Contains("'qwen2.5:0.5b-instruct'", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
