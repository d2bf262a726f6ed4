using ModelSwap.Gateway.Processes;

namespace ModelSwap.Gateway.Tests.Processes;

/// <summary>Memory of a process tree from /proc: the parsers on real formats, and a real tree.</summary>
public sealed class ProcessMemoryTests
{
    [Fact]
    public void Status_lines_are_read_in_kilobytes()
    {
        const string status = "Name:\tllama-server\nVmPeak:\t 9999 kB\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\nRssAnon:\t 1000 kB\nRssFile:\t   51200 kB\n";
        Assert.True(ProcessMemory.TryParseStatus(status, out var values));
        Assert.Equal(100L * 1024 * 1024, values.Rss);
        Assert.Equal(200L * 1024 * 1024, values.Peak);
        Assert.Equal(50L * 1024 * 1024, values.File);
        Assert.False(ProcessMemory.TryParseStatus("Name:\tkthreadd\n", out _));
    }

    [Fact]
    public void Io_takes_the_larger_of_rchar_and_read_bytes()
    {
        Assert.Equal(5000, ProcessMemory.ParseIo("rchar: 5000\nwchar: 1\nread_bytes: 4096\nwrite_bytes: 0\n"));
        Assert.Equal(8192, ProcessMemory.ParseIo("rchar: 100\nread_bytes: 8192\n"));
    }

    [Fact]
    public void A_real_process_tree_is_measured()
    {
        var tree = ProcessMemory.ReadTree(Environment.ProcessId);
        Assert.True(tree.Processes >= 1);
        Assert.True(tree.ResidentBytes > 10L * 1024 * 1024, $"{tree.ResidentBytes}");
        Assert.True(tree.PeakResidentBytes >= tree.ResidentBytes);
    }
}
