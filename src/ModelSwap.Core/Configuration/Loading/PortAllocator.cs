namespace ModelSwap.Core.Configuration.Loading;

/// <summary>
/// Hands out <c>${PORT}</c> values as llama-swap does (counting up from startPort, in model id
/// order), except that ports already taken on the machine are skipped, and a model that already
/// had a port (a hot reload) keeps it, so adding a model never moves, and so restarts, the others.
/// </summary>
internal sealed class PortAllocator(int startPort, Func<int, bool> isPortFree, IReadOnlyDictionary<string, int> previousPorts)
{
    private const int MaxPort = 65535;
    private readonly HashSet<int> _kept = [.. previousPorts.Values];
    private readonly HashSet<int> _given = [];
    private readonly int _startPort = startPort;
    private int _next = startPort;

    public int? Next(string modelId)
    {
        // A changed startPort is a request to move: ports below it are not kept.
        if (previousPorts.TryGetValue(modelId, out var previous) && previous >= _startPort && _given.Add(previous))
        {
            return previous;
        }
        while (_next <= MaxPort)
        {
            var port = _next++;
            // A port kept by another model, or already given, is not free even if nothing listens yet.
            if (!_kept.Contains(port) && !_given.Contains(port) && isPortFree(port))
            {
                _given.Add(port);
                return port;
            }
        }
        return null;
    }
}
