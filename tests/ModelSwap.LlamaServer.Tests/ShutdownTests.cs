using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Testing;

namespace ModelSwap.LlamaServer.Tests;

/// <summary>However ModelSwap ends, no llama-server it started outlives it.</summary>
public sealed class ShutdownTests
{
    [Theory]
    [InlineData("TERM")]
    [InlineData("KILL")]
    public async Task Ending_modelswap_leaves_no_llama_server_behind(string signal)
    {
        await using var serve = await ModelSwapServe.StartAsync(s =>
        {
            s.AddModel("alpha-chat.gguf", new TinyModelOptions { Seed = 1 });
            s.AddModel("gamma-embed.gguf", new TinyModelOptions { Embedding = true, Seed = 3 });
        });
        var chat = await serve.IdOfAsync("alpha-chat.gguf");
        var embed = await serve.IdOfAsync("gamma-embed.gguf");
        await serve.PostAsync("/v1/chat/completions", new { model = chat, messages = new[] { new { role = "user", content = "hi" } }, max_tokens = 2 });
        await serve.PostAsync("/v1/embeddings", new { model = embed, input = "hi" });
        int[] servers = [await serve.PidAsync(chat), await serve.PidAsync(embed)];
        Assert.All(servers, pid => Assert.EndsWith("llama-server", File.ReadAllText($"/proc/{pid}/cmdline").Split('\0')[0], StringComparison.Ordinal));

        serve.Signal(signal);
        Assert.True(serve.Process.WaitForExit(ModelSwapServe.HangGuard), $"modelswap did not exit on SIG{signal}");
        foreach (var pid in servers)
        {
            Assert.True(await ProcessProbe.WaitForExitAsync(pid, ModelSwapServe.HangGuard), $"llama-server {pid} outlived modelswap's SIG{signal}");
        }
    }
}
