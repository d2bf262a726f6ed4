namespace ModelSwap.Testing;

/// <summary>
/// Blocks of ports for configs under test. Each gateway a test starts counts ${PORT} from its own
/// block, so parallel tests never race for one port; the base depends on the process id so two
/// test runs on one machine rarely overlap either.
/// </summary>
public static class TestPorts
{
    private const int BlockSize = 16;
    private static int _next = 20000 + (Environment.ProcessId % 400) * 100;

    public static int NextBlock() => Interlocked.Add(ref _next, BlockSize) - BlockSize;
}
