using System.CommandLine;
using ModelSwap.Cli.Chat;

namespace ModelSwap.Cli.Commands;

/// <summary>
/// `modelswap run MODEL [PROMPT]`: chat with a model of the running service, as `ollama run` does.
/// With a prompt (or text on stdin) it answers once to stdout and exits; otherwise it is an
/// interactive conversation in the terminal.
/// </summary>
internal static class RunCommand
{
    public const string Name = "run";

    public static Command Create()
    {
        var model = new Argument<string>("MODEL") { Description = "Model name or alias (as `modelswap list` shows)." };
        var prompt = new Argument<string[]>("PROMPT")
        {
            Description = "Answer this once and exit (text piped on stdin comes first).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var url = ServiceOptions.Url();
        var command = new Command(Name, "Chat with a model: interactively, or answer one prompt and exit.") { model, prompt, url };
        command.SetAction(async (parse, ct) =>
        {
            if (ServiceUrl.Resolve(parse.GetValue(url), Console.Error) is not { } service)
            {
                return ExitCodes.InvalidInput;
            }
            // Answers can take minutes on a CPU; only the user (Ctrl+C) ends one.
            using var http = ServiceOptions.Client(service.Url, Timeout.InfiniteTimeSpan);
            var client = new ChatClient(http);
            var name = parse.GetValue(model)!;
            var words = parse.GetValue(prompt) ?? [];
            try
            {
                if (words.Length > 0 || Console.IsInputRedirected)
                {
                    return await AnswerOnceAsync(client, name, words, ct).ConfigureAwait(false);
                }
                return await new ChatSession(client, name, Console.In, Console.Out, Console.Error).RunAsync(ct).ConfigureAwait(false);
            }
            catch (ChatException ex)
            {
                Console.Error.WriteLine($"error: {ex.Message}");
                return ExitCodes.Failure;
            }
            catch (HttpRequestException ex)
            {
                Console.Error.WriteLine($"error: ModelSwap is not answering at {service}: {ex.Message}");
                return ExitCodes.NotRunning;
            }
        });
        return command;
    }

    private static async Task<int> AnswerOnceAsync(ChatClient client, string model, string[] words, CancellationToken ct)
    {
        var parts = new List<string>();
        if (Console.IsInputRedirected)
        {
            var piped = await Console.In.ReadToEndAsync(ct).ConfigureAwait(false);
            if (piped.Trim().Length > 0)
            {
                parts.Add(piped.TrimEnd());
            }
        }
        parts.AddRange(words);
        if (parts.Count == 0)
        {
            Console.Error.WriteLine("error: no prompt: give one after the model name, or pipe text in");
            return ExitCodes.InvalidInput;
        }
        var messages = new[] { new System.Text.Json.Nodes.JsonObject { ["role"] = "user", ["content"] = string.Join(' ', parts) } };
        await client.ChatAsync(model, messages, [], text =>
        {
            Console.Out.Write(text);
            Console.Out.Flush();
        }, ct).ConfigureAwait(false);
        Console.Out.WriteLine();
        return ExitCodes.Ok;
    }
}
