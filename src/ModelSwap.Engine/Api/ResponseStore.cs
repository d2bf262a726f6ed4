using System.Collections.Concurrent;

namespace ModelSwap.Engine.Api;

/// <summary>
/// The conversation behind each Responses API answer (input and output, as template messages), so a
/// later request can continue it with previous_response_id. Bounded: the oldest are forgotten.
/// </summary>
internal sealed class ResponseStore
{
    private const int Capacity = 1000;
    private readonly ConcurrentDictionary<string, List<object?>> _conversations = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    public void Add(string id, List<object?> conversation)
    {
        _conversations[id] = conversation;
        _order.Enqueue(id);
        while (_order.Count > Capacity && _order.TryDequeue(out var oldest))
        {
            _conversations.TryRemove(oldest, out _);
        }
    }

    public List<object?>? Get(string id) => _conversations.TryGetValue(id, out var conversation) ? conversation : null;
}
