using System.Text.Json.Nodes;

namespace ModelSwap.Cli.Chat;

/// <summary>
/// `modelswap run MODEL` in a terminal: a conversation with history, streamed answers, and Ollama's
/// commands (/bye, /clear, /set, /show, /?). Ctrl+C stops the answer being written, not the session.
/// </summary>
internal sealed class ChatSession(ChatClient client, string model, TextReader stdin, TextWriter stdout, TextWriter stderr)
{
    private readonly List<JsonObject> _history = [];
    private readonly ChatParameters _parameters = new();
    private string? _system;
    private CancellationTokenSource? _answering;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        stderr.WriteLine($"Loading {model} at {client.BaseAddress} …");
        await client.LoadAsync(model, cancellationToken).ConfigureAwait(false);
        stderr.WriteLine("Type a message and press Enter (\"\"\" for several lines); /? for help, /bye or Ctrl+D to leave.");
        Console.CancelKeyPress += OnCancelKeyPress;
        try
        {
            var input = new ChatInput(stdin, stderr);
            while (!cancellationToken.IsCancellationRequested)
            {
                var text = input.Read();
                if (text is null)
                {
                    stderr.WriteLine();
                    return Commands.ExitCodes.Ok;
                }
                if (text.Trim().Length == 0)
                {
                    continue;
                }
                if (text.StartsWith('/'))
                {
                    if (!HandleCommand(text.Trim()))
                    {
                        return Commands.ExitCodes.Ok;
                    }
                    continue;
                }
                await AnswerAsync(text, cancellationToken).ConfigureAwait(false);
            }
            return Commands.ExitCodes.Ok;
        }
        finally
        {
            Console.CancelKeyPress -= OnCancelKeyPress;
        }
    }

    private async Task AnswerAsync(string text, CancellationToken cancellationToken)
    {
        var messages = new List<JsonObject>();
        if (_system is not null)
        {
            messages.Add(new JsonObject { ["role"] = "system", ["content"] = _system });
        }
        messages.AddRange(_history);
        var user = new JsonObject { ["role"] = "user", ["content"] = text };
        messages.Add(user);
        using var answering = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Volatile.Write(ref _answering, answering);
        try
        {
            var answer = await client.ChatAsync(model, messages, _parameters.Options, chunk =>
            {
                stdout.Write(chunk);
                stdout.Flush();
            }, answering.Token).ConfigureAwait(false);
            stdout.WriteLine();
            stdout.WriteLine();
            _history.Add(user);
            _history.Add(new JsonObject { ["role"] = "assistant", ["content"] = answer });
        }
        catch (OperationCanceledException) when (answering.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C: the answer stops (closing the stream stops the generation); the turn is forgotten.
            stdout.WriteLine();
            stderr.WriteLine("(stopped)");
        }
        catch (Exception ex) when (ex is ChatException or HttpRequestException or IOException)
        {
            stdout.WriteLine();
            stderr.WriteLine($"error: {ex.Message}");
        }
        finally
        {
            Volatile.Write(ref _answering, null);
        }
    }

    /// <summary>Returns false when the session should end.</summary>
    private bool HandleCommand(string command)
    {
        var words = command.Split(' ', 4, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        switch (words[0])
        {
            case "/bye" or "/exit":
                return false;
            case "/clear":
                _history.Clear();
                stderr.WriteLine("Cleared session context");
                return true;
            case "/set" when words.Length >= 4 && words[1] == "parameter":
                stderr.WriteLine(_parameters.Set(words[2], words[3]) is { } error ? $"error: {error}" : $"Set parameter '{words[2]}' to '{words[3]}'");
                return true;
            case "/set" when words.Length >= 3 && words[1] == "system":
                _system = command[(command.IndexOf("system", StringComparison.Ordinal) + "system".Length)..].Trim();
                stderr.WriteLine("Set system message.");
                return true;
            case "/show" when words.Length >= 2 && words[1] == "parameters":
                stderr.WriteLine(_parameters.Options.Count == 0 ? "No parameters set." : _parameters.Options.ToJsonString());
                return true;
            case "/?" or "/help":
                stderr.WriteLine(""""
                    Commands:
                      /set parameter NAME VALUE   set a sampling option (temperature, top_k, top_p, min_p, seed, num_predict, stop, …)
                      /set system TEXT            set the system message
                      /show parameters            show the options set so far
                      /clear                      forget the conversation so far
                      /bye                        leave (also Ctrl+D)
                    Use """ to begin and end a message of several lines. Ctrl+C stops an answer.
                    """");
                return true;
            default:
                stderr.WriteLine($"Unknown command '{words[0]}'. Type /? for help");
                return true;
        }
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e)
    {
        e.Cancel = true; // Ctrl+C never ends the session: it stops the answer, or reminds how to leave
        if (Volatile.Read(ref _answering) is { } answering)
        {
            try
            {
                answering.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // the answer ended as the key was pressed
            }
        }
        else
        {
            stderr.WriteLine();
            stderr.WriteLine("Use Ctrl + d or /bye to exit.");
            stderr.Write(">>> ");
            stderr.Flush();
        }
    }
}
