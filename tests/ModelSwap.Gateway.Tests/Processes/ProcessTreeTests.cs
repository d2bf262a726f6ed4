using ModelSwap.Gateway.Processes;

namespace ModelSwap.Gateway.Tests.Processes;

public sealed class ProcessTreeTests
{
    [Fact]
    public void Parses_stat_with_spaces_and_parentheses_in_the_name()
    {
        var stat = "4242 (we ird) (name)) S 17 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 12345 67 18446744073709551615";

        var entry = ProcessTree.Parse(stat);

        Assert.Equal(new ProcessTree.Entry(4242, 17, 4242, 4242, 987654UL, 'S'), entry);
    }

    [Fact]
    public void Zombies_are_not_alive()
    {
        var entry = ProcessTree.Parse("7 (defunct) Z 1 7 7 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 55 0 0")!.Value;

        Assert.False(entry.IsAlive);
    }

    [Fact]
    public void Reads_this_process()
    {
        if (!ProcessTree.HasProcFs)
        {
            return;
        }
        var self = ProcessTree.Read(Environment.ProcessId);

        Assert.NotNull(self);
        Assert.Equal(Environment.ProcessId, self.Value.Pid);
        Assert.Contains(self.Value, ProcessTree.Family(Environment.ProcessId, null));
    }

    [Fact]
    public void Rejects_garbage()
    {
        Assert.Null(ProcessTree.Parse("not a stat line"));
        Assert.Null(ProcessTree.Parse("12 (short) S 1 2"));
    }
}
