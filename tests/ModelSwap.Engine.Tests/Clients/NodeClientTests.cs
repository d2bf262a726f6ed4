using System.Diagnostics;
using System.Text.Json;
using ModelSwap.Engine.Hosting;
using ModelSwap.Engine.Tests.Support;

namespace ModelSwap.Engine.Tests.Clients;

/// <summary>The official `openai` npm package from Node: one chat, one stream. setup.sh installs it.</summary>
public sealed class NodeClientTests(TinyModels models) : IClassFixture<TinyModels>
{
    [Fact]
    public async Task OpenAiNpmPackageChatsAndStreams()
    {
        var nodeDir = Path.Combine(RepositoryPaths.Root, "tests", "ModelSwap.Engine.Tests", "node");
        Assert.True(Directory.Exists(Path.Combine(nodeDir, "node_modules", "openai")),
            $"The openai npm package is not installed; run tests/ModelSwap.Engine.Tests/setup.sh (npm ci in {nodeDir}).");

        await using var engine = await TestEngine.StartAsync(new EngineOptions { ModelPath = models.Chat, Alias = "tiny", ContextSize = 256 });
        var start = new ProcessStartInfo("node", "script.mjs")
        {
            WorkingDirectory = nodeDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ENGINE_URL"] = engine.BaseAddress.ToString();
        start.Environment["ENGINE_MODEL"] = "tiny";
        using var node = Process.Start(start)!;
        try
        {
            var stdout = node.StandardOutput.ReadToEndAsync();
            var stderr = node.StandardError.ReadToEndAsync();
            await node.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
            Assert.True(node.ExitCode == 0, $"node exited with {node.ExitCode}: {await stderr}");

            using var result = JsonDocument.Parse((await stdout).Trim());
            var chat = result.RootElement.GetProperty("chat");
            Assert.StartsWith("chatcmpl-", chat.GetProperty("id").GetString());
            Assert.Equal("tiny", chat.GetProperty("model").GetString());
            Assert.Equal("length", chat.GetProperty("finishReason").GetString());
            Assert.Equal(12, chat.GetProperty("usage").GetProperty("completion_tokens").GetInt32());

            var stream = result.RootElement.GetProperty("stream");
            Assert.True(stream.GetProperty("chunks").GetInt32() >= 12);
            Assert.Equal("length", stream.GetProperty("finishReason").GetString());
            Assert.Equal(12, stream.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
            // Same seed and prompt: the stream spells out the same reply.
            Assert.Equal(chat.GetProperty("content").GetString(), stream.GetProperty("text").GetString());
        }
        finally
        {
            if (!node.HasExited)
                node.Kill(entireProcessTree: true);
        }
    }
}
