using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ModelSwap.Cli.Tests.Commands;

/// <summary>
/// `modelswap run` against a real service: a conversation typed into a pseudo-terminal (history,
/// Ctrl+C during an answer, /bye), and the one-shot form that answers a prompt to stdout.
/// </summary>
public sealed class RunCommandTests : IAsyncLifetime
{
    private ServeProcess _serve = null!;

    public async Task InitializeAsync()
    {
        _serve = await ServeProcess.StartAsync($"""
            models:
              fast:
                cmd: {ServeProcess.FakeCmd("fast")}
                filters:
                  setParams:
                    fake_chunks: 2
                    fake_count_messages: true
              slow:
                cmd: {ServeProcess.FakeCmd("slow")}
                filters:
                  setParams:
                    fake_chunks: 100000
                    fake_chunk_delay_ms: 20
            """);
    }

    public async Task DisposeAsync() => await _serve.DisposeAsync();

    private string[] Run(params string[] args) =>
        ["dotnet", ServeProcess.ModelSwapDll, "run", .. args, "--url", _serve.Client.BaseAddress!.ToString()];

    [Fact]
    public async Task A_two_turn_conversation_keeps_its_history_and_bye_ends_it()
    {
        await using var terminal = PseudoTerminal.Start(Run("fast"));
        await terminal.WaitForAsync(">>> ");
        await terminal.TypeAsync("hello\n");
        await terminal.WaitForAsync("messages=1 chunk1");
        await terminal.WaitForAsync(">>> ", 2);
        // The second turn sends the first question, its answer and the new question.
        await terminal.TypeAsync("\"\"\"tell me\nmore\"\"\"\n");
        await terminal.WaitForAsync("messages=3 chunk1");
        await terminal.WaitForAsync(">>> ", 3);
        await terminal.TypeAsync("/clear\n");
        await terminal.WaitForAsync("Cleared");
        await terminal.TypeAsync("again\n");
        await terminal.WaitForAsync("messages=1 chunk1", 2);
        await terminal.TypeAsync("/bye\n");
        Assert.Equal(0, await terminal.WaitForExitAsync());
    }

    [Fact]
    public async Task Ctrl_c_stops_the_answer_and_the_session_goes_on()
    {
        await using var terminal = PseudoTerminal.Start(Run("slow"));
        await terminal.WaitForAsync(">>> ");
        await terminal.TypeAsync("tell me a long story\n");
        await terminal.WaitForAsync("chunk3 ");
        await terminal.TypeAsync("\u0003");
        await terminal.WaitForAsync("(stopped)");
        await terminal.WaitForAsync(">>> ", 2);
        // The generation upstream ended with the answer: nothing is left in flight.
        await WaitUntilIdleAsync("slow");

        await terminal.TypeAsync("/set parameter temperature warm\n");
        await terminal.WaitForAsync("temperature needs a number");
        await terminal.TypeAsync("/bye\n");
        Assert.Equal(0, await terminal.WaitForExitAsync());
    }

    [Fact]
    public async Task A_prompt_argument_or_piped_text_is_answered_once_on_stdout()
    {
        var (code, stdout, stderr) = await RunPipedAsync(Run("fast", "why", "is", "the", "sky", "blue?"), stdin: null);
        Assert.True(code == 0, stderr);
        Assert.Equal("messages=1 chunk1 \n", stdout);

        (code, stdout, stderr) = await RunPipedAsync(Run("fast"), stdin: "summarise this\n");
        Assert.True(code == 0, stderr);
        Assert.Equal("messages=1 chunk1 \n", stdout);

        (code, stdout, stderr) = await RunPipedAsync(Run("missing", "hi"), stdin: null);
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Contains("model 'missing' not found", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ps_shows_name_size_processor_and_until_like_ollama()
    {
        var (code, _, stderr) = await RunPipedAsync(Run("fast", "hi"), stdin: null);
        Assert.True(code == 0, stderr);

        string[] ps = ["dotnet", ServeProcess.ModelSwapDll, "ps", "--url", _serve.Client.BaseAddress!.ToString()];
        (code, var stdout, stderr) = await RunPipedAsync(ps, stdin: null);
        Assert.True(code == 0, stderr);
        var lines = stdout.Split('\n');
        var header = lines.First(l => l.Contains("NAME", StringComparison.Ordinal));
        Assert.True(header.IndexOf("NAME", StringComparison.Ordinal) < header.IndexOf("SIZE", StringComparison.Ordinal)
            && header.IndexOf("SIZE", StringComparison.Ordinal) < header.IndexOf("PROCESSOR", StringComparison.Ordinal)
            && header.IndexOf("PROCESSOR", StringComparison.Ordinal) < header.IndexOf("UNTIL", StringComparison.Ordinal), header);
        var row = lines.First(l => l.Contains(" fast ", StringComparison.Ordinal));
        Assert.Contains("100% CPU", row, StringComparison.Ordinal);
        Assert.Contains("Forever", row, StringComparison.Ordinal); // no TTL configured
        Assert.Matches(@"\d+(\.\d)? (B|KiB|MiB|GiB)", row); // the resident memory of its process tree

        (code, stdout, stderr) = await RunPipedAsync([.. ps, "--format", "json"], stdin: null);
        Assert.True(code == 0, stderr);
        var fast = JsonNode.Parse(stdout)!.AsArray().Single(m => m!["model"]!.GetValue<string>() == "fast")!;
        Assert.Equal("100% CPU", fast["processor"]!.GetValue<string>());
        Assert.True(fast["residentBytes"]!.GetValue<long>() > 0);
    }

    private async Task WaitUntilIdleAsync(string model)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var running = await _serve.Client.GetFromJsonAsync<JsonObject>("/running");
            var entry = running!["running"]!.AsArray().FirstOrDefault(r => r!["model"]!.GetValue<string>() == model);
            if (entry is not null && entry["inFlight"]!.GetValue<int>() == 0)
            {
                return;
            }
            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(2), $"{model} still has a request in flight: {running}");
            await Task.Delay(20);
        }
    }

    private static async Task<(int Code, string Stdout, string Stderr)> RunPipedAsync(string[] command, string? stdin)
    {
        var info = new ProcessStartInfo(command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in command.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }
        using var process = Process.Start(info)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
        }
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        return (process.ExitCode, await stdout, await stderr);
    }
}
