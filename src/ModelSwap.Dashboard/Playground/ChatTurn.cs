using System.Text;

namespace ModelSwap.Dashboard.Playground;

/// <summary>(Public: a component parameter.) One exchange of the Playground: the user's message and the answer as it streams in.</summary>
public sealed class ChatTurn(ChatMessage user, string model)
{
    private readonly StringBuilder _answer = new();

    public ChatMessage User { get; } = user;
    public string Model { get; } = model;
    public string Answer => _answer.ToString();
    public AnswerFigures? Figures { get; private set; }

    /// <summary>The messages this turn adds to the conversation (the answer only once it is complete).</summary>
    public IEnumerable<ChatMessage> Messages => Figures is null || _answer.Length == 0
        ? [User]
        : [User, new ChatMessage("assistant", Answer)];

    public void Append(string text) => _answer.Append(text);

    public void Finish(AnswerFigures figures) => Figures = figures;
}
