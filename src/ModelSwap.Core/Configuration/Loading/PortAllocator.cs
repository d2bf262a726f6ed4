namespace ModelSwap.Core.Configuration.Loading;

/// <summary>
/// Hands out <c>${PORT}</c> values as llama-swap does (counting up from startPort, in model id
/// order), except that ports already taken on the machine are skipped, and that on a reload a model
/// keeps the port it had: its running server holds that port, and a new port would make an unchanged
/// model look changed (adding a model that sorts first would otherwise restart every model).
/// </summary>
internal sealed class PortAllocator(int startPort, Func<int, bool> isPortFree, IReadOnlyDictionary<string, int> previousPorts)
{
    private const int MaxPort = 65535;
    private readonly HashSet<int> _assigned = [];
    private readonly HashSet<int> _reserved = [.. previousPorts.Values];
    private readonly int _startPort = startPort;
    private int _next = startPort;

    public int? Assign(string modelId)
    {
        if (previousPorts.TryGetValue(modelId, out var previous) && previous >= _startPort && _assigned.Add(previous))
        {
            return previous;
        }
        while (_next <= MaxPort)
        {
            var port = _next++;
            if (!_reserved.Contains(port) && !_assigned.Contains(port) && isPortFree(port))
            {
                _assigned.Add(port);
                return port;
            }
        }
        return null;
    }
}
