using System.Diagnostics;
using System.Text.Json;
using ModelSwap.Gateway.Translation;

namespace ModelSwap.Gateway.Tests.Api.Ollama;

/// <summary>
/// The official Ollama JavaScript library (npm `ollama` 0.6.4, installed by setup.sh from the lock
/// file) against the gateway with the demo models: version, list, show, chat and generate streamed
/// and not, embed, ps, keep_alive 0, an error, pull from the local Hugging Face mirror with
/// progress, a re-pull, delete.
/// </summary>
public sealed class OllamaJsClientTests
{
    private static string ScriptDirectory =>
        Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "tests", "ModelSwap.Gateway.Tests", "ollama-js");

    [Fact]
    public async Task Ollama_js_lists_shows_chats_generates_embeds_pulls_and_deletes()
    {
        var directory = Path.GetFullPath(ScriptDirectory);
        Assert.True(File.Exists(Path.Combine(directory, "node_modules", "ollama", "package.json")),
            $"the ollama npm package is not installed: run tests/ModelSwap.Gateway.Tests/setup.sh (npm ci in {directory})");
        await using var demo = await OllamaDemoHost.StartAsync();

        var start = new ProcessStartInfo("node", "script.mjs")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["OLLAMA_HOST"] = demo.BaseAddress.ToString().TrimEnd('/');
        start.Environment["CHAT_MODEL"] = demo.ChatModel;
        start.Environment["EMBED_MODEL"] = demo.EmbedModel;
        start.Environment["PULL_MODEL"] = OllamaDemoHost.PullName;
        using var node = Process.Start(start)!;
        var stdout = node.StandardOutput.ReadToEndAsync();
        var stderr = node.StandardError.ReadToEndAsync();
        try
        {
            await node.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        }
        finally
        {
            if (!node.HasExited)
            {
                node.Kill(entireProcessTree: true);
            }
        }
        Assert.True(node.ExitCode == 0, $"node exited with {node.ExitCode}: {await stderr}\n{await stdout}");
        using var result = JsonDocument.Parse((await stdout).Trim());
        var r = result.RootElement;

        Assert.True(Version.Parse(r.GetProperty("version").GetProperty("version").GetString()!) >= new Version(0, 6, 4));

        var chatName = OllamaModelNames.Display(demo.ChatModel);
        var embedName = OllamaModelNames.Display(demo.EmbedModel);
        var list = r.GetProperty("list").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!);
        Assert.Contains(chatName, list.Keys);
        Assert.Contains(embedName, list.Keys);
        Assert.Equal("gguf", list[chatName].GetProperty("details").GetProperty("format").GetString());
        Assert.Equal("llama", list[chatName].GetProperty("details").GetProperty("family").GetString());
        Assert.True(list[chatName].GetProperty("size").GetInt64() > 0);
        Assert.Equal(64, list[chatName].GetProperty("digest").GetString()!.Length);

        var show = r.GetProperty("show");
        Assert.Contains("completion", show.GetProperty("capabilities").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal("llama", show.GetProperty("architecture").GetString());
        Assert.Contains("llama.context_length", show.GetProperty("modelInfoKeys").EnumerateArray().Select(k => k.GetString()));
        Assert.Contains("num_ctx", show.GetProperty("parameters").GetString(), StringComparison.Ordinal);

        var chat = r.GetProperty("chat");
        Assert.Equal("assistant", chat.GetProperty("role").GetString());
        Assert.False(string.IsNullOrEmpty(chat.GetProperty("content").GetString()));
        Assert.True(chat.GetProperty("done").GetBoolean());
        Assert.Equal("length", chat.GetProperty("done_reason").GetString());
        Assert.Equal(6, chat.GetProperty("eval_count").GetInt32());
        Assert.True(chat.GetProperty("prompt_eval_count").GetInt32() > 0);
        Assert.True(chat.GetProperty("total_duration").GetInt64() > 0);

        var chatStream = r.GetProperty("chatStream");
        Assert.True(chatStream.GetProperty("parts").GetInt32() >= 3, "a 6-token answer streamed in fewer than 3 lines");
        Assert.True(chatStream.GetProperty("done").GetBoolean());
        Assert.Equal(6, chatStream.GetProperty("eval_count").GetInt32());
        // Same seed and prompt: the stream spells out the whole answer.
        Assert.Equal(chat.GetProperty("content").GetString(), chatStream.GetProperty("text").GetString());

        Assert.False(string.IsNullOrEmpty(r.GetProperty("generate").GetProperty("response").GetString()));
        Assert.Equal(4, r.GetProperty("generate").GetProperty("eval_count").GetInt32());
        Assert.True(r.GetProperty("generateStream").GetProperty("parts").GetInt32() >= 2);
        Assert.True(r.GetProperty("generateStream").GetProperty("done").GetBoolean());

        var embed = r.GetProperty("embed");
        Assert.Equal(2, embed.GetProperty("count").GetInt32());
        Assert.Equal(64, embed.GetProperty("dimensions").GetInt32());
        Assert.Equal(1.0, embed.GetProperty("norm").GetDouble(), 3);

        var ps = r.GetProperty("ps").EnumerateArray().ToDictionary(m => m.GetProperty("name").GetString()!);
        Assert.Contains(chatName, ps.Keys);
        Assert.True(DateTimeOffset.TryParse(ps[chatName].GetProperty("expires_at").GetString(), out _));
        Assert.True(ps[chatName].GetProperty("context_length").GetInt32() > 0);
        Assert.DoesNotContain(chatName, r.GetProperty("psAfterKeepAlive0").EnumerateArray().Select(n => n.GetString()));

        var missing = r.GetProperty("missing");
        Assert.Equal("ResponseError", missing.GetProperty("name").GetString());
        Assert.Equal("model 'no-such-model' not found", missing.GetProperty("message").GetString());
        Assert.Equal(404, missing.GetProperty("status").GetInt32());

        var statuses = r.GetProperty("pull").GetProperty("statuses").EnumerateArray().Select(s => s.GetString()).ToList();
        Assert.Equal("pulling manifest", statuses[0]);
        Assert.Equal("success", statuses[^1]);
        var progress = r.GetProperty("pull").GetProperty("completed").EnumerateArray()
            .Select(p => (Completed: p[0].GetInt64(), Total: p[1].GetInt64())).ToList();
        Assert.NotEmpty(progress);
        Assert.True(progress[^1].Completed == progress[^1].Total && progress[^1].Total > 0, $"the last progress is {progress[^1]}");
        Assert.Contains("tinychat:1b-instruct", r.GetProperty("listAfterPull").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal("success", r.GetProperty("repull").GetString());
        Assert.Equal("tinychat:1b-instruct", r.GetProperty("pulledName").GetString());
        Assert.DoesNotContain("tinychat:1b-instruct", r.GetProperty("listAfterDelete").EnumerateArray().Select(n => n.GetString()));
    }
}
