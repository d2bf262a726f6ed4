using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ModelSwap.Engine.Hosting;
using ModelSwap.Engine.Inference;
using ModelSwap.Engine.Tools;

namespace ModelSwap.Engine.Api;

/// <summary>
/// What the Messages and Responses endpoints share once each has read its own input shape: the chat
/// rendered by the template with the request's tools, the prompt checked against the context, the
/// generation submitted (with a forced tool's or a format's grammar), and the reply read and split
/// into text and tool calls.
/// </summary>
internal sealed class ChatGeneration
{
    private ChatGeneration(GenerationJob job, ToolSession? tools)
    {
        Job = job;
        Tools = tools;
    }

    public GenerationJob Job { get; }

    /// <summary>The request's tools when they are in play (offered and not turned off by tool_choice none).</summary>
    public ToolSession? Tools { get; }

    /// <param name="promptField">The request field a too-long or empty prompt is blamed on.</param>
    public static async Task<ChatGeneration> StartAsync(HttpContext context, ReadyModel ready, JsonElement root, List<object?> messages, GenerationOptions options, string id, string promptField)
    {
        var (prompt, media, tools) = await ChatPreparation.PrepareAsync(context, ready, messages, ToolRequestParser.Parse(root, ready.Model.ChatFormatter.TemplateSource), new Dictionary<string, object?>(), promptField).ConfigureAwait(false);
        GenerationResponder.CheckPrompt(ready, media?.PositionCount ?? prompt.Length, promptField);
        var grammar = GenerationResponder.GrammarFor(options, tools);
        var job = ready.Loop.Submit(new GenerationRequest(id, prompt, options.MaxTokens, options.Sampling, options.Stop, grammar, Media: media) { Streamed = options.Stream }, context.RequestAborted);
        return new ChatGeneration(job, tools is { Active: true } ? tools : null);
    }

    /// <summary>The whole reply (for non-streamed answers) and how it ended.</summary>
    public async Task<(string Text, GenerationResult Result)> ReadWholeAsync(CancellationToken cancellation)
    {
        var text = new StringBuilder();
        await foreach (var piece in Job.Text.ReadAllAsync(cancellation).ConfigureAwait(false))
            text.Append(piece);
        return (text.ToString(), await Job.Result.WaitAsync(cancellation).ConfigureAwait(false));
    }

    /// <summary>
    /// Streams the reply as it comes: content at once (held back only while it could open a tool call,
    /// see <see cref="ToolCallStream"/>), each tool call once it is complete. Chat completions, the
    /// Responses API and the Messages API all split a streamed reply this one way.
    /// </summary>
    public async Task<GenerationResult> StreamAsync(Func<string, Task> content, Func<ParsedToolCall, Task> call, CancellationToken cancellation)
    {
        var split = Tools is null ? null : new ToolCallStream(Tools.Format, Tools.Parallel);
        async Task Emit(List<ToolStreamEvent> events)
        {
            foreach (var e in events)
            {
                if (e.Call is { } parsed)
                    await call(parsed).ConfigureAwait(false);
                else
                    await content(e.Content!).ConfigureAwait(false);
            }
        }
        await foreach (var piece in Job.Text.ReadAllAsync(cancellation).ConfigureAwait(false))
        {
            if (split is null)
                await content(piece).ConfigureAwait(false);
            else
                await Emit(split.Push(piece)).ConfigureAwait(false);
        }
        var result = await Job.Result.WaitAsync(cancellation).ConfigureAwait(false);
        if (split is not null)
            await Emit(split.Finish()).ConfigureAwait(false);
        return result;
    }

    /// <summary>The reply's tool calls (only the first unless parallel calls are allowed) and the text beside them; the whole text when it holds none.</summary>
    public (string Text, List<ParsedToolCall> Calls) Split(string text)
    {
        if (Tools is null)
            return (text, []);
        var (content, calls) = ToolCallParser.Parse(text, Tools.Format);
        if (!Tools.Parallel && calls.Count > 1)
            calls.RemoveRange(1, calls.Count - 1);
        return calls.Count == 0 ? (text, calls) : (content, calls);
    }
}
