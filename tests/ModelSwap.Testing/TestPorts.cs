namespace ModelSwap.Testing;

/// <summary>
/// Blocks of ports for configs under test. Each gateway a test starts counts ${PORT} from its own
/// block, so parallel tests never race for one port; the base depends on the process id so two
/// test runs on one machine rarely overlap either. The blocks stay below Linux's ephemeral range
/// (32768 and up): there a model's port can be the source port the kernel picks for some outgoing
/// connection, which then holds it (the server cannot bind) or, for a connect to that very port
/// before the server listens, connects the client to itself.
/// </summary>
public static class TestPorts
{
    private const int BlockSize = 16;
    private static int _next = 20000 + (Environment.ProcessId % 100) * 100;

    public static int NextBlock() => Interlocked.Add(ref _next, BlockSize) - BlockSize;
}
