using System.Diagnostics;
using System.Text.Json;
using ModelSwap.Gateway.Tests.Functional;
using ModelSwap.Testing;

namespace ModelSwap.Gateway.Tests.Engine;

/// <summary>
/// Agent frameworks from npm, pinned in tests/ModelSwap.Engine.Tests/node (installed by that suite's
/// setup.sh), against the built-in engine through the gateway: the Vercel AI SDK's generateObject and
/// streamText with tools (chat completions and the Responses API), LangChain's withStructuredOutput and
/// bindTools, and openai's responses.create. Random weights: the checks are on the protocol and on
/// grammar-constrained output that must match its schema.
/// </summary>
public sealed class EngineAgentClientsThroughGatewayTests : IAsyncLifetime
{
    private TinyEngineGateway _engine = null!;

    private GatewayTestHost Host => _engine.Host;

    public async Task InitializeAsync() => _engine = await TinyEngineGateway.StartAsync(seed: 21);

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    [Fact]
    public async Task Ai_sdk_langchain_and_openai_responses_through_the_gateway()
    {
        var nodeDir = Path.Combine(RepositoryRoot(), "tests", "ModelSwap.Engine.Tests", "node");
        Assert.True(Directory.Exists(Path.Combine(nodeDir, "node_modules", "ai")),
            $"The npm clients are not installed; run tests/ModelSwap.Engine.Tests/setup.sh (npm ci in {nodeDir}).");
        var start = new ProcessStartInfo("node", "agents.mjs") { WorkingDirectory = nodeDir, RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["BASE_URL"] = Host.Client.BaseAddress!.ToString();
        start.Environment["MODEL"] = "tiny";
        using var node = Process.Start(start)!;
        try
        {
            var stdout = node.StandardOutput.ReadToEndAsync();
            var stderr = node.StandardError.ReadToEndAsync();
            await node.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(240));
            Assert.True(node.ExitCode == 0, $"node exited with {node.ExitCode}: {await stderr}");
            using var document = JsonDocument.Parse((await stdout).Trim().Split('\n')[^1]);
            var result = document.RootElement;

            // Schema-valid objects (agents.mjs also parsed each with its zod schema).
            foreach (var reading in result.GetProperty("generateObjectChat").EnumerateArray().Append(result.GetProperty("generateObjectResponses")).Append(result.GetProperty("withStructuredOutput")))
            {
                Assert.Contains(reading.GetProperty("unit").GetString(), new[] { "c", "f" });
                Assert.InRange(reading.GetProperty("count").GetInt32(), 0, 100);
            }
            // zod-shaped ranges and formats (agents.mjs parsed each with zod).
            foreach (var record in result.GetProperty("generateObjectFormats").EnumerateArray())
            {
                Assert.InRange(record.GetProperty("score").GetDouble(), 0, 1);
                Assert.True(record.GetProperty("size").GetDouble() > 0, record.ToString());
                Assert.True(DateOnly.TryParseExact(record.GetProperty("day").GetString(), "yyyy-MM-dd", out _), record.ToString());
            }
            Assert.Equal(2, result.GetProperty("generateObjectFormats").GetArrayLength());
            foreach (var name in new[] { "streamTextChat", "streamTextResponses" })
            {
                var streamed = result.GetProperty(name);
                Assert.Equal("tool-calls", streamed.GetProperty("finishReason").GetString());
                var call = Assert.Single(streamed.GetProperty("calls").EnumerateArray());
                Assert.Equal("weather", call.GetProperty("name").GetString());
                Assert.Contains(call.GetProperty("input").GetProperty("city").GetString(), new[] { "Paris", "Oslo" });
            }
            // Tools offered, not forced: content arrives token by token, not in one delta at the end.
            var autoText = result.GetProperty("streamTextAutoTools");
            Assert.True(autoText.GetProperty("textDeltas").GetInt32() >= 4, autoText.ToString());
            Assert.Equal("length", autoText.GetProperty("finishReason").GetString());
            var autoSdk = result.GetProperty("openaiStreamAutoTools");
            Assert.True(autoSdk.GetProperty("contentChunks").GetInt32() >= 4, autoSdk.ToString());
            Assert.Equal("length", autoSdk.GetProperty("finish").GetString());

            var bound = result.GetProperty("bindTools")[0];
            Assert.Equal("weather", bound.GetProperty("name").GetString());
            Assert.Contains(bound.GetProperty("args").GetProperty("city").GetString(), new[] { "Paris", "Oslo" });

            var responses = result.GetProperty("responses");
            Assert.StartsWith("resp_", responses.GetProperty("id").GetString());
            Assert.Equal("incomplete", responses.GetProperty("status").GetString());
            Assert.False(string.IsNullOrEmpty(responses.GetProperty("text").GetString()));
            Assert.Equal(8, responses.GetProperty("usage").GetProperty("output_tokens").GetInt32());
            var events = responses.GetProperty("events").EnumerateArray().Select(e => e.GetString()).ToList();
            Assert.Equal("response.created", events[0]);
            Assert.Equal("response.incomplete", events[^1]);
            Assert.Contains("response.output_text.delta", events);
        }
        finally
        {
            if (!node.HasExited)
            {
                node.Kill(entireProcessTree: true);
            }
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ModelSwap.slnx")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("ModelSwap.slnx not found");
    }
}
