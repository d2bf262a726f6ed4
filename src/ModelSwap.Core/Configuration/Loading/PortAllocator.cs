namespace ModelSwap.Core.Configuration.Loading;

/// <summary>
/// Hands out <c>${PORT}</c> values as llama-swap does (counting up from startPort, in model id
/// order), except that ports already taken on the machine are skipped.
/// </summary>
internal sealed class PortAllocator(int startPort, Func<int, bool> isPortFree)
{
    private const int MaxPort = 65535;
    private int _next = startPort;

    public int? Next()
    {
        while (_next <= MaxPort)
        {
            var port = _next++;
            if (isPortFree(port))
            {
                return port;
            }
        }
        return null;
    }
}
