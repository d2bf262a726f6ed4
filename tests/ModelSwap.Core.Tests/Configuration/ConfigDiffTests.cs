using ModelSwap.Core.Configuration;
using static ModelSwap.Core.Tests.Configuration.ConfigTestLoader;

namespace ModelSwap.Core.Tests.Configuration;

public sealed class ConfigDiffTests
{
    private const string Before = """
        models:
          keep:
            cmd: server -m keep.gguf --port ${PORT}
          meta:
            cmd: server -m meta.gguf --port ${PORT}
            name: Old name
            aliases: [m1]
            ttl: 10
            metadata: {a: 1}
          gone:
            cmd: server -m gone.gguf --port ${PORT}
          cmd:
            cmd: server -m cmd.gguf --port ${PORT}
          env:
            cmd: server -m env.gguf --port ${PORT}
            env: ["A=1"]
        """;

    [Fact]
    public void Only_changes_that_need_a_restart_mark_a_model_changed()
    {
        // Ports follow sorted ids, so "gone" leaving must not shift the others: it sorts last of these.
        var before = Valid(Before.Replace("gone:", "zgone:", StringComparison.Ordinal));
        var after = Valid("""
            models:
              keep:
                cmd: server -m keep.gguf --port ${PORT}
              meta:
                cmd: server -m meta.gguf --port ${PORT}
                name: New name
                description: now described
                aliases: [m2]
                ttl: 99
                unlisted: true
                metadata: {a: 2}
                filters: {stripParams: "top_k"}
              cmd:
                cmd: server -m cmd.gguf --ctx-size 8192 --port ${PORT}
              env:
                cmd: server -m env.gguf --port ${PORT}
                env: ["A=2"]
              new:
                cmd: server -m new.gguf --port ${PORT}
            """);
        var diff = ConfigDiff.Compute(before, after);
        Assert.Equal<string>(["new"], diff.Added);
        Assert.Equal<string>(["zgone"], diff.Removed);
        Assert.Equal<string>(["cmd", "env"], diff.Changed);
        Assert.Equal<string>(["keep", "meta"], diff.Unchanged);
        Assert.True(diff.HasRestartWork);
    }

    [Fact]
    public void Identical_configs_have_nothing_to_restart()
    {
        var diff = ConfigDiff.Compute(Valid(Before), Valid(Before));
        Assert.Empty(diff.Added);
        Assert.Empty(diff.Removed);
        Assert.Empty(diff.Changed);
        Assert.Equal(5, diff.Unchanged.Length);
        Assert.False(diff.HasRestartWork);
    }

    [Fact]
    public void A_changed_port_proxy_check_endpoint_or_stop_command_is_a_restart()
    {
        const string Base = "models:\n  m:\n    cmd: s --port ${PORT}\n";
        var before = Valid(Base);
        Assert.Equal<string>(["m"], ConfigDiff.Compute(before, Valid("startPort: 7000\n" + Base)).Changed);
        Assert.Equal<string>(["m"], ConfigDiff.Compute(before, Valid(Base + "    proxy: http://127.0.0.1:${PORT}\n")).Changed);
        Assert.Equal<string>(["m"], ConfigDiff.Compute(before, Valid(Base + "    checkEndpoint: none\n")).Changed);
        Assert.Equal<string>(["m"], ConfigDiff.Compute(before, Valid(Base + "    cmdStop: kill ${PID}\n")).Changed);
    }
}
