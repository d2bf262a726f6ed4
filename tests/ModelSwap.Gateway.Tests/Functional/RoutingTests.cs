using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace ModelSwap.Gateway.Tests.Functional;

/// <summary>Requests reach the right model server, with the right body, path and environment.</summary>
public sealed class RoutingTests
{
    private static string TwoModels(string extraA = "", string extraB = "") => $"""
        healthCheckTimeout: 30
        models:
          model-a:
            cmd: {GatewayTestHost.FakeCmd("a")}
            aliases: [gpt-4o-mini]
        {extraA}
          model-b:
            cmd: {GatewayTestHost.FakeCmd("b")}
        {extraB}
        """;

    [Fact]
    public async Task Cold_request_starts_the_model_and_gets_its_answer()
    {
        await using var host = await GatewayTestHost.StartAsync(TwoModels());
        var answer = await host.ChatAsync("model-a");
        Assert.Equal("a", answer["fake"]!["upstream"]!.GetValue<string>());
        Assert.Equal("model-a", answer["model"]!.GetValue<string>());
        Assert.Equal(["model-a"], await host.RunningAsync());
    }

    [Fact]
    public async Task Alias_reaches_the_same_process()
    {
        await using var host = await GatewayTestHost.StartAsync(TwoModels());
        var byId = await host.PidOfAsync("model-a");
        var byAlias = await host.PidOfAsync("gpt-4o-mini");
        Assert.Equal(byId, byAlias);
    }

    [Fact]
    public async Task Missing_model_and_bad_json_are_400_envelopes_and_unknown_model_is_404()
    {
        await using var host = await GatewayTestHost.StartAsync(TwoModels());

        using var noModel = await host.Client.PostAsync("/v1/chat/completions",
            new StringContent("""{"messages":[]}""", Encoding.UTF8, "application/json"));
        await AssertEnvelopeAsync(noModel, HttpStatusCode.BadRequest, "model_not_specified");

        using var badJson = await host.Client.PostAsync("/v1/chat/completions",
            new StringContent("""{"model": "model-a", """, Encoding.UTF8, "application/json"));
        await AssertEnvelopeAsync(badJson, HttpStatusCode.BadRequest, "invalid_request");

        using var unknown = await host.Client.PostAsJsonAsync("/v1/chat/completions", new { model = "nope" });
        var error = await AssertEnvelopeAsync(unknown, HttpStatusCode.NotFound, "model_not_found");
        Assert.Contains("nope", error["message"]!.GetValue<string>());
        Assert.Empty(await host.RunningAsync());
    }

    [Fact]
    public async Task Unknown_routes_and_wrong_methods_get_envelopes_but_upstream_errors_pass_through()
    {
        await using var host = await GatewayTestHost.StartAsync(TwoModels());
        using var noRoute = await host.Client.GetAsync("/v2/whatever");
        await AssertEnvelopeAsync(noRoute, HttpStatusCode.NotFound, "not_found");
        using var wrongMethod = await host.Client.GetAsync("/v1/chat/completions");
        await AssertEnvelopeAsync(wrongMethod, HttpStatusCode.MethodNotAllowed, "method_not_allowed");

        // Under /upstream the model server answers, and its own errors arrive as it sent them.
        using var upstream = await host.Client.DeleteAsync("/upstream/model-a/anything");
        Assert.Equal(HttpStatusCode.OK, upstream.StatusCode);
        Assert.Contains("\"method\":\"DELETE\"", await upstream.Content.ReadAsStringAsync());
        using var teapot = await host.Client.GetAsync("/upstream/model-a/fake/status/418");
        Assert.Equal((HttpStatusCode)418, teapot.StatusCode);
        Assert.Equal("", await teapot.Content.ReadAsStringAsync());
    }

    internal static async Task<JsonObject> AssertEnvelopeAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        var error = JsonNode.Parse(text)!["error"]!.AsObject();
        Assert.Equal(code, error["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(error["message"]!.GetValue<string>()));
        Assert.False(string.IsNullOrWhiteSpace(error["type"]!.GetValue<string>()));
        return error;
    }

    [Fact]
    public async Task UseModelName_and_filters_rewrite_the_body_sent_upstream()
    {
        await using var host = await GatewayTestHost.StartAsync(TwoModels(extraA: """
                useModelName: upstream/real-name
                filters:
                  stripParams: "temperature, top_p"
                  setParams:
                    top_k: 7
            """));
        var answer = await host.ChatAsync("gpt-4o-mini", new { temperature = 0.5, top_p = 0.9, keep = "yes" });
        var body = answer["fake"]!["body"]!;
        Assert.Equal("upstream/real-name", body["model"]!.GetValue<string>());
        Assert.Null(body["temperature"]);
        Assert.Null(body["top_p"]);
        Assert.Equal(7, body["top_k"]!.GetValue<int>());
        Assert.Equal("yes", body["keep"]!.GetValue<string>());
    }

    [Fact]
    public async Task Environment_and_model_id_macro_reach_the_process()
    {
        await using var host = await GatewayTestHost.StartAsync(TwoModels(extraA: """
                env:
                  - "MODELSWAP_TEST_VAR=id-${MODEL_ID}"
            """));
        var answer = await host.ChatAsync("model-a", new { echo_env = new[] { "MODELSWAP_TEST_VAR" } });
        Assert.Equal("id-model-a", answer["fake"]!["env"]!["MODELSWAP_TEST_VAR"]!.GetValue<string>());
    }

    [Fact]
    public async Task Upstream_route_strips_the_prefix_and_the_longest_model_id_wins()
    {
        await using var host = await GatewayTestHost.StartAsync($"""
            models:
              org:
                cmd: {GatewayTestHost.FakeCmd("short")}
              org/model:
                cmd: {GatewayTestHost.FakeCmd("long")}
            """);
        var echo = (await host.Client.GetFromJsonAsync<JsonObject>("/upstream/org/model/props/x?verbose=1"))!["fake"]!;
        Assert.Equal("long", echo["upstream"]!.GetValue<string>());
        Assert.Equal("/props/x", echo["path"]!.GetValue<string>());
        Assert.Equal("?verbose=1", echo["query"]!.GetValue<string>());
        Assert.Equal("GET", echo["method"]!.GetValue<string>());

        var shorter = (await host.Client.GetFromJsonAsync<JsonObject>("/upstream/org/other"))!["fake"]!;
        Assert.Equal("short", shorter["upstream"]!.GetValue<string>());
        Assert.Equal("/other", shorter["path"]!.GetValue<string>());
    }

    [Fact]
    public async Task Multipart_form_field_names_the_model_and_the_body_arrives_whole()
    {
        await using var host = await GatewayTestHost.StartAsync(TwoModels());
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent("model-b"), "model");
        var audio = new ByteArrayContent(new byte[50_000]);
        audio.Headers.ContentType = new MediaTypeHeaderValue("audio/wav");
        form.Add(audio, "file", "speech.wav");
        var sent = form.Headers.ContentLength;
        using var response = await host.Client.PostAsync("/v1/audio/transcriptions", form);
        var echo = (await response.Content.ReadFromJsonAsync<JsonObject>())!["fake"]!;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("b", echo["upstream"]!.GetValue<string>());
        Assert.Equal("/v1/audio/transcriptions", echo["path"]!.GetValue<string>());
        Assert.True(echo["body_length"]!.GetValue<long>() >= 50_000);
        Assert.StartsWith("multipart/form-data", echo["content_type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Query_parameter_names_the_model_when_the_body_does_not()
    {
        await using var host = await GatewayTestHost.StartAsync(TwoModels());
        using var response = await host.Client.PostAsync("/v1/audio/speech?model=model-b",
            new StringContent("raw", Encoding.UTF8, "text/plain"));
        var echo = (await response.Content.ReadFromJsonAsync<JsonObject>())!["fake"]!;
        Assert.Equal("b", echo["upstream"]!.GetValue<string>());
    }

    [Fact]
    public async Task Models_list_is_sorted_hides_unlisted_and_shows_name_description_and_load_state()
    {
        await using var host = await GatewayTestHost.StartAsync($"""
            models:
              zeta:
                cmd: {GatewayTestHost.FakeCmd("z")}
                name: "Zeta Model"
                description: "the last one"
              alpha:
                cmd: {GatewayTestHost.FakeCmd("a")}
              hidden:
                cmd: {GatewayTestHost.FakeCmd("h")}
                unlisted: true
            """);
        await host.ChatAsync("zeta");
        await host.ChatAsync("hidden");
        var list = (await host.Client.GetFromJsonAsync<JsonObject>("/v1/models"))!;
        var data = list["data"]!.AsArray();
        Assert.Equal(["alpha", "zeta"], data.Select(m => m!["id"]!.GetValue<string>()));
        Assert.Equal("Zeta Model", data[1]!["name"]!.GetValue<string>());
        Assert.Equal("the last one", data[1]!["description"]!.GetValue<string>());
        Assert.False(data[0]!["loaded"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Api_keys_guard_inference_but_not_health()
    {
        await using var host = await GatewayTestHost.StartAsync($"""
            apiKeys: ["sk-test-key"]
            models:
              model-a:
                cmd: {GatewayTestHost.FakeCmd("a")}
            """);
        using var anonymous = await host.Client.PostAsJsonAsync("/v1/chat/completions", new { model = "model-a" });
        await AssertEnvelopeAsync(anonymous, HttpStatusCode.Unauthorized, "invalid_api_key");
        using var health = await host.Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = JsonContent.Create(new { model = "model-a" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "sk-test-key");
        using var authorized = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, authorized.StatusCode);
    }
}
