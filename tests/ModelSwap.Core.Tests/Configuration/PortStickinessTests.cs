using ModelSwap.Core.Configuration;

namespace ModelSwap.Core.Tests.Configuration;

/// <summary>A hot reload must not move a running model to another port (that would restart it).</summary>
public sealed class PortStickinessTests
{
    private static ModelSwapConfig Load(string yaml, ConfigLoadOptions options)
    {
        var result = ConfigLoader.Parse(yaml, "config.yaml", options);
        Assert.True(result.IsValid, string.Join('\n', result.Diagnostics));
        return result.Config!;
    }

    [Fact]
    public void A_model_added_before_the_others_gets_a_new_port_and_theirs_stay()
    {
        var free = new ConfigLoadOptions { IsPortFree = _ => true };
        var first = Load("startPort: 7000\nmodels:\n  b:\n    cmd: s --port ${PORT}\n  c:\n    cmd: s --port ${PORT}\n", free);
        Assert.Equal(7000, first.Models["b"].Port);
        Assert.Equal(7001, first.Models["c"].Port);

        // b and c now run and hold their ports: a real check would call them taken.
        var held = new ConfigLoadOptions { IsPortFree = port => port is not (7000 or 7001) }.WithPreviousPorts(first);
        var second = Load("startPort: 7000\nmodels:\n  a:\n    cmd: s --port ${PORT}\n  b:\n    cmd: s --port ${PORT}\n  c:\n    cmd: s --port ${PORT}\n", held);
        Assert.Equal(7000, second.Models["b"].Port);
        Assert.Equal(7001, second.Models["c"].Port);
        Assert.Equal(7002, second.Models["a"].Port);
        Assert.Equal(first.Models["b"].RuntimeFingerprint, second.Models["b"].RuntimeFingerprint);
    }

    [Fact]
    public void Without_previous_ports_ids_are_numbered_in_sorted_order_like_llama_swap()
    {
        var config = Load("startPort: 7000\nmodels:\n  z:\n    cmd: s --port ${PORT}\n  a:\n    cmd: s --port ${PORT}\n", new ConfigLoadOptions { IsPortFree = _ => true });
        Assert.Equal(7000, config.Models["a"].Port);
        Assert.Equal(7001, config.Models["z"].Port);
    }
}
