using ModelSwap.Gateway.Processes;

namespace ModelSwap.Gateway.Tests.Swapping;

/// <summary>GPU memory from nvidia-smi and rocm-smi: their real output formats, and a fake tool on PATH.</summary>
[Collection(nameof(PathChangingTests))]
public sealed class GpuProbeTests
{
    [Fact]
    public void Nvidia_totals_and_per_process_memory_are_parsed()
    {
        Assert.Equal(2L * 24576 * 1024 * 1024, GpuProbe.ParseNvidiaTotal("24576\n24576\n"));
        Assert.Null(GpuProbe.ParseNvidiaTotal("No devices were found"));
        var apps = GpuProbe.ParseNvidiaApps("1234, 5120\n1234, 1024\n999, 10\n");
        Assert.Equal(6144L * 1024 * 1024, apps[1234]);
        Assert.Equal(10L * 1024 * 1024, apps[999]);
    }

    [Fact]
    public void Rocm_totals_and_per_process_memory_are_parsed()
    {
        Assert.Equal(17163091968L, GpuProbe.ParseRocmTotal("""{"card0": {"VRAM Total Memory (B)": "17163091968", "VRAM Total Used Memory (B)": "1"}}"""));
        Assert.Null(GpuProbe.ParseRocmTotal("not json"));
        var pids = GpuProbe.ParseRocmPids("""{"system": {"PID4242": "llama-server, 1, 123456789, 0, 0"}}""");
        Assert.Equal(123456789L, pids[4242]);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_fake_nvidia_smi_on_path_is_found_and_asked()
    {
        var dir = Directory.CreateTempSubdirectory("modelswap-gpu-").FullName;
        var oldPath = Environment.GetEnvironmentVariable("PATH");
        try
        {
            var script = Path.Combine(dir, "nvidia-smi");
            File.WriteAllText(script, """
                #!/bin/sh
                case "$1" in
                  --query-gpu=*) echo 8192 ;;
                  --query-compute-apps=*) echo "$$, 2048" ;;
                  *) exit 1 ;;
                esac
                """.Replace("\r", "", StringComparison.Ordinal));
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Environment.SetEnvironmentVariable("PATH", dir + ":" + oldPath);

            var probe = GpuProbe.Detect();

            Assert.Equal("nvidia-smi", probe.Tool);
            Assert.Equal(8192L * 1024 * 1024, probe.TotalBytes);
            Assert.Contains(2048L * 1024 * 1024, probe.PerProcess().Values);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", oldPath);
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void No_tool_means_no_gpu()
    {
        var oldPath = Environment.GetEnvironmentVariable("PATH");
        var empty = Directory.CreateTempSubdirectory("modelswap-nogpu-").FullName;
        try
        {
            Environment.SetEnvironmentVariable("PATH", empty);
            var probe = GpuProbe.Detect();
            Assert.Null(probe.Tool);
            Assert.Null(probe.TotalBytes);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", oldPath);
            Directory.Delete(empty);
        }
    }
}

/// <summary>Tests that change PATH run one at a time (and never beside each other's PATH).</summary>
[CollectionDefinition(nameof(PathChangingTests), DisableParallelization = true)]
public sealed class PathChangingTests;
