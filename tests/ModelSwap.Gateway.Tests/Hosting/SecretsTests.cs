using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ModelSwap.Gateway.Hosting;
using ModelSwap.Gateway.Tests.Functional;

namespace ModelSwap.Gateway.Tests.Hosting;

/// <summary>The gateway's key stays at the gateway; secrets from ${env.…} and key flags never show.</summary>
public sealed class SecretsTests
{
    [Fact]
    public async Task The_gateway_key_is_replaced_by_the_models_own_key_and_running_redacts_it()
    {
        var variable = "MODELSWAP_TEST_UPSTREAM_KEY_" + Guid.NewGuid().ToString("N");
        var upstreamKey = "sk-upstream-" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, upstreamKey);
        try
        {
            await using var host = await GatewayTestHost.StartAsync($$"""
                apiKeys: ["sk-gateway-key"]
                models:
                  model-a:
                    cmd: {{GatewayTestHost.FakeCmd("a", "--api-key ${env." + variable + "}")}}
                  model-b:
                    cmd: {{GatewayTestHost.FakeCmd("b")}}
                """);
            host.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sk-gateway-key");
            host.Client.DefaultRequestHeaders.Add("x-api-key", "sk-gateway-key");
            var withOwnKey = (await host.ChatAsync("model-a"))["fake"]!;
            Assert.Equal("Bearer " + upstreamKey, withOwnKey["authorization"]!.GetValue<string>());
            Assert.Equal("", withOwnKey["x_api_key"]!.GetValue<string>());

            var running = await host.Client.GetStringAsync("/running");
            Assert.DoesNotContain(upstreamKey, running, StringComparison.Ordinal);
            Assert.Contains("\"--api-key\",\"***\"", running, StringComparison.Ordinal);

            var withoutKey = (await host.ChatAsync("model-b"))["fake"]!;
            Assert.Equal("", withoutKey["authorization"]!.GetValue<string>());
            Assert.Equal("", withoutKey["x_api_key"]!.GetValue<string>());

            var logs = await host.Client.GetStringAsync("/logs");
            Assert.DoesNotContain(upstreamKey, logs, StringComparison.Ordinal);
            Assert.DoesNotContain("sk-gateway-key", logs, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task Env_values_in_running_show_as_their_macro()
    {
        var variable = "MODELSWAP_TEST_DIR_" + Guid.NewGuid().ToString("N");
        var secretDir = "/secret-" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, secretDir);
        try
        {
            await using var host = await GatewayTestHost.StartAsync($$"""
                models:
                  model-a:
                    cmd: {{GatewayTestHost.FakeCmd("${env." + variable + "}")}}
                """);
            Assert.Equal(secretDir, (await host.ChatAsync("model-a"))["fake"]!["upstream"]!.GetValue<string>());
            var running = await host.Client.GetStringAsync("/running");
            Assert.DoesNotContain(secretDir, running, StringComparison.Ordinal);
            Assert.Contains("${env." + variable + "}", running, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task A_reload_error_never_echoes_a_key_or_an_env_value()
    {
        await using var host = await GatewayTestHost.StartAsync($"""
            models:
              model-a:
                cmd: {GatewayTestHost.FakeCmd("a")}
            """);
        var secret = "sk-" + Guid.NewGuid().ToString("N");
        await File.WriteAllTextAsync(host.ConfigPath, $"""
            apiKeys: "{secret}"
            apiKey: ["{secret}"]
            models:
              model-a:
                cmd: {GatewayTestHost.FakeCmd("a")}
                env: ["{secret}"]
            """);
        var result = await host.Reloader.ReloadAsync(CancellationToken.None);
        Assert.False(result!.IsValid);
        Assert.Contains(result.Errors, e => e.Message.Contains("'apiKey' looks like the security setting 'apiKeys'", StringComparison.Ordinal));
        var logs = await host.Client.GetStringAsync("/logs");
        Assert.Contains("apiKeys", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, string.Join('\n', result.Diagnostics), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failures_answered_by_the_exception_handler_redact_keys_and_env_values()
    {
        var variable = "MODELSWAP_TEST_CRASH_NAME_" + Guid.NewGuid().ToString("N");
        var secret = "secret-" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, secret);
        try
        {
            // The server prints its name (the secret) and dies: the start error quotes its last output.
            await using var host = await GatewayTestHost.StartAsync($$"""
                apiKeys: ["sk-gateway-key-1234"]
                models:
                  model-a:
                    cmd: {{GatewayTestHost.FakeCmd("${env." + variable + "}", "--crash-after 0 --api-key sk-gateway-key-1234")}}
                """);
            host.Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sk-gateway-key-1234");

            using var load = await host.Client.PostAsync("/api/models/model-a/load", null);
            var loadText = await load.Content.ReadAsStringAsync();
            Assert.True((int)load.StatusCode >= 500, loadText);
            Assert.Contains("${env." + variable + "}", loadText, StringComparison.Ordinal);
            Assert.Contains("crashing as asked", loadText, StringComparison.Ordinal);

            using var generate = await host.Client.PostAsJsonAsync("/api/generate", new { model = "model-a", prompt = "hi", stream = false });
            var generateText = await generate.Content.ReadAsStringAsync();
            Assert.True((int)generate.StatusCode >= 500, generateText);
            Assert.Contains("crashing as asked", generateText, StringComparison.Ordinal);

            var logs = await host.Client.GetStringAsync("/logs");
            foreach (var text in new[] { loadText, generateText })
            {
                Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
                Assert.DoesNotContain("sk-gateway-key-1234", text, StringComparison.Ordinal);
            }
            Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
            // The rings themselves (what /api/events?logs= and the dashboard's log view read) hold it redacted.
            var rings = host.App.Services.GetRequiredService<GatewayLogs>();
            Assert.Contains(rings.Upstream.Snapshot(), line => line.Contains("${env." + variable + "}", StringComparison.Ordinal));
            foreach (var ring in new[] { rings.All, rings.Proxy, rings.Upstream })
            {
                Assert.DoesNotContain(ring.Snapshot(), line => line.Contains(secret, StringComparison.Ordinal));
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public async Task Models_can_be_retrieved_by_id_or_alias_with_a_real_created_time()
    {
        await using var host = await GatewayTestHost.StartAsync($"""
            models:
              org/model-a:
                cmd: {GatewayTestHost.FakeCmd("a")}
                aliases: [gpt-4o-mini]
            """);
        var list = await host.Client.GetFromJsonAsync<JsonObject>("/v1/models");
        var created = list!["data"]![0]!["created"]!.GetValue<long>();
        Assert.True(created > 1_600_000_000, $"created {created}");
        foreach (var name in new[] { "org/model-a", "gpt-4o-mini" })
        {
            var model = await host.Client.GetFromJsonAsync<JsonObject>("/v1/models/" + name);
            Assert.Equal(name, model!["id"]!.GetValue<string>());
            Assert.Equal("model", model["object"]!.GetValue<string>());
            Assert.Equal(created, model["created"]!.GetValue<long>());
        }
        using var missing = await host.Client.GetAsync("/v1/models/nope");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task An_encoded_slash_passes_through_upstream_as_sent()
    {
        await using var host = await GatewayTestHost.StartAsync($"""
            models:
              org/model-a:
                cmd: {GatewayTestHost.FakeCmd("a")}
            """);
        var echo = await host.Client.GetFromJsonAsync<JsonObject>("/upstream/org/model-a/files/a%2Fb/c%20d?x=1%2F2");
        Assert.Equal("/files/a%2Fb/c%20d?x=1%2F2", echo!["fake"]!["raw_target"]!.GetValue<string>());
    }
}
