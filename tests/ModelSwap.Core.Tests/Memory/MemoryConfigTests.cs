using ModelSwap.Core.Configuration;
using ModelSwap.Core.Tests.Configuration;

namespace ModelSwap.Core.Tests.Memory;

/// <summary>memoryBudget, memoryReserve, per-model memory and sendLoadingState in config.yaml, checked with lines.</summary>
public sealed class MemoryConfigTests
{
    [Fact]
    public void Sizes_and_flags_are_read()
    {
        var config = ConfigTestLoader.Valid("""
            memoryBudget: 24GiB
            memoryReserve: 512MiB
            sendLoadingState: true
            models:
              a:
                cmd: server --port ${PORT}
                memory: 6GiB
                sendLoadingState: false
              b:
                cmd: server --port ${PORT}
            """);
        Assert.Equal(24L << 30, config.MemoryBudget);
        Assert.Equal(512L << 20, config.MemoryReserve);
        Assert.Equal(6L << 30, config.Models["a"].Memory);
        Assert.Null(config.Models["b"].Memory);
        Assert.False(config.SendsLoadingState(config.Models["a"]));
        Assert.True(config.SendsLoadingState(config.Models["b"]));
    }

    [Fact]
    public void Defaults_are_auto_with_a_2_GiB_reserve_and_no_loading_state()
    {
        var config = ConfigTestLoader.Valid("""
            memoryBudget: auto
            models:
              a:
                cmd: server --port ${PORT}
            """);
        Assert.Null(config.MemoryBudget);
        Assert.Equal(2L << 30, config.MemoryReserve);
        Assert.False(config.SendsLoadingState(config.Models["a"]));
    }

    [Fact]
    public void Bad_sizes_are_errors_with_their_line_and_key()
    {
        var result = ConfigTestLoader.Load("""
            memoryBudget: lots
            memoryReserve: 2 parsecs
            models:
              a:
                cmd: server --port ${PORT}
                memory: -3GiB
            """);
        Assert.False(result.IsValid);
        var budget = ConfigTestLoader.Error(result, "memoryBudget");
        Assert.Equal(1, budget.Line);
        Assert.Equal("memoryBudget", budget.KeyPath);
        Assert.Equal(2, ConfigTestLoader.Error(result, "memoryReserve").Line);
        var memory = ConfigTestLoader.Error(result, "'-3GiB'");
        Assert.Equal("models.a.memory", memory.KeyPath);
        Assert.Equal(6, memory.Line);
    }
}
