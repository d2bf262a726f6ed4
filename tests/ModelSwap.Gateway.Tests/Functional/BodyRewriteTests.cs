using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace ModelSwap.Gateway.Tests.Functional;

/// <summary>The rewrite (useModelName, stripParams, setParams) keeps every other value as sent.</summary>
public sealed class BodyRewriteTests
{
    [Fact]
    public async Task Values_pass_through_untouched_while_model_and_filters_are_applied()
    {
        await using var host = await GatewayTestHost.StartAsync($"""
            models:
              model-r:
                cmd: {GatewayTestHost.FakeCmd("r")}
                useModelName: upstream-name
                filters:
                  stripParams: "temperature"
                  setParams:
                    top_k: 7
                    stop: ["a", "b"]
            """);
        var big = new string('x', 300_000);
        var body = "{ \"top_k\": 1, \"messages\": [{\"role\":\"user\",\"content\":\"caf\\u00e9 \\\"q\\\" " + big + "\"}], \"model\" : \"model-r\","
            + " \"temperature\": 0.5, \"n\": -1.5e3, \"flag\": true, \"none\": null, \"nested\": {\"a\": [1, {\"b\": \"c\"}]} }";
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await host.Client.PostAsync("/v1/chat/completions", content);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["fake"]!["body"]!;
        Assert.Equal("upstream-name", sent["model"]!.GetValue<string>());
        Assert.Null(sent["temperature"]);
        Assert.Equal(7, sent["top_k"]!.GetValue<int>());
        Assert.Equal("[\"a\",\"b\"]", sent["stop"]!.ToJsonString());
        Assert.Equal("café \"q\" " + big, sent["messages"]![0]!["content"]!.GetValue<string>());
        Assert.Equal(-1500, sent["n"]!.GetValue<double>());
        Assert.True(sent["flag"]!.GetValue<bool>());
        Assert.True(sent.AsObject().ContainsKey("none"));
        Assert.Equal("{\"a\":[1,{\"b\":\"c\"}]}", sent["nested"]!.ToJsonString());
    }
}
