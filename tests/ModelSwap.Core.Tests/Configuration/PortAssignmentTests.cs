using System.Net;
using System.Net.Sockets;
using ModelSwap.Core.Configuration;
using static ModelSwap.Core.Tests.Configuration.ConfigTestLoader;

namespace ModelSwap.Core.Tests.Configuration;

public sealed class PortAssignmentTests
{
    private const string ThreeModels = """
        startPort: 6000
        models:
          charlie:
            cmd: server --port ${PORT}
          alpha:
            cmd: server --port ${PORT}
          bravo:
            cmd: server --port 9999
            proxy: http://127.0.0.1:9999
          Zulu:
            cmd: server --port ${PORT}
        """;

    [Fact]
    public void Ports_count_up_in_ordinal_id_order_for_models_that_use_PORT()
    {
        var config = Valid(ThreeModels);
        // Ordinal order: "Zulu" < "alpha" < "bravo" < "charlie"; bravo does not use ${PORT}.
        Assert.Equal(6000, config.Models["Zulu"].Port);
        Assert.Equal(6001, config.Models["alpha"].Port);
        Assert.Null(config.Models["bravo"].Port);
        Assert.Equal(6002, config.Models["charlie"].Port);
        Assert.Equal(new Uri("http://localhost:6002"), config.Models["charlie"].Proxy);
        Assert.Equal("6002", config.Models["charlie"].Command[2]);
    }

    [Fact]
    public void Taken_ports_are_skipped()
    {
        var asked = new List<int>();
        var config = Valid(ThreeModels, isPortFree: port =>
        {
            asked.Add(port);
            return port is not (6000 or 6002);
        });
        Assert.Equal(6001, config.Models["Zulu"].Port);
        Assert.Equal(6003, config.Models["alpha"].Port);
        Assert.Equal(6004, config.Models["charlie"].Port);
        Assert.Equal([6000, 6001, 6002, 6003, 6004], asked);
    }

    [Fact]
    public void A_port_really_in_use_on_loopback_is_skipped_by_the_default_check()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var taken = ((IPEndPoint)listener.LocalEndpoint).Port;
        Assert.False(ConfigLoadOptions.IsLoopbackPortFree(taken));
        var result = ConfigLoader.Parse($"startPort: {taken}\nmodels:\n  m:\n    cmd: s --port ${{PORT}}\n", "config.yaml");
        Assert.True(result.IsValid, string.Join('\n', result.Diagnostics));
        var port = result.Config!.Models["m"].Port!.Value;
        Assert.True(port > taken, $"expected a port above the taken {taken}, got {port}");
    }

    [Fact]
    public void On_reload_adding_a_model_that_sorts_first_changes_no_other_model()
    {
        const string Before = "models:\n  b:\n    cmd: s --port ${PORT}\n  c:\n    cmd: s --port ${PORT}\n";
        const string After = "models:\n  a:\n    cmd: s --port ${PORT}\n" + "  b:\n    cmd: s --port ${PORT}\n  c:\n    cmd: s --port ${PORT}\n";
        var previous = Valid(Before);
        // The running servers hold 5800 and 5801, so a plain port check calls them taken.
        var options = new ConfigLoadOptions { IsPortFree = p => p is not (5800 or 5801) }.WithPreviousPorts(previous);
        var next = ConfigLoader.Parse(After, "config.yaml", options).Config!;
        var diff = ConfigDiff.Compute(previous, next);
        Assert.Equal<string>(["a"], diff.Added);
        Assert.Empty(diff.Changed);
        Assert.Equal<string>(["b", "c"], diff.Unchanged);

        // Without the previous ports the numbering is llama-swap's, which would restart b and c.
        Assert.Equal<string>(["b", "c"], ConfigDiff.Compute(previous, Valid(After)).Changed);
    }

    [Fact]
    public void On_reload_a_changed_startPort_moves_ports_below_it()
    {
        var previous = Valid("models:\n  m:\n    cmd: s --port ${PORT}\n");
        var options = new ConfigLoadOptions { IsPortFree = _ => true }.WithPreviousPorts(previous);
        var result = ConfigLoader.Parse("startPort: 9000\nmodels:\n  m:\n    cmd: s --port ${PORT}\n", "config.yaml", options);
        Assert.Equal(9000, result.Config!.Models["m"].Port);
    }

    [Fact]
    public void Running_out_of_ports_is_an_error()
    {
        var result = Load("startPort: 65535\nmodels:\n  a:\n    cmd: s --port ${PORT}\n  b:\n    cmd: s --port ${PORT}\n");
        var error = Error(result, "no free port is left at or above startPort");
        Assert.Equal((5, "models.b"), (error.Line, error.KeyPath));
    }

    [Fact]
    public void A_port_is_assigned_when_only_proxy_uses_it_with_a_warning()
    {
        var result = Load("models:\n  m:\n    cmd: server --port 8080\n    proxy: http://127.0.0.1:${PORT}\n");
        Assert.True(result.IsValid);
        Assert.Equal(5800, result.Config!.Models["m"].Port);
        var warning = Warning(result, "proxy uses ${PORT} (5800) but cmd does not");
        Assert.Equal((4, "models.m.proxy"), (warning.Line, warning.KeyPath));
    }

    [Fact]
    public void Port_in_a_macro_counts_as_use_in_cmd()
    {
        var config = Valid("macros:\n  base: server --port ${PORT}\nmodels:\n  m:\n    cmd: ${base} -m x\n");
        Assert.Equal<string>(["server", "--port", "5800", "-m", "x"], config.Models["m"].Command);
    }

    [Fact]
    public void Port_used_outside_cmd_and_proxy_needs_one_of_them_to_use_it()
    {
        var error = Error("models:\n  m:\n    cmd: s\n    proxy: http://h:1\n    env: [\"P=${PORT}\"]\n", "${PORT} has no value here");
        Assert.Equal((5, "models.m.env[0]"), (error.Line, error.KeyPath));
    }

    [Fact]
    public void Port_appears_in_cmdStop_and_metadata()
    {
        var model = Valid("models:\n  m:\n    cmd: s --port ${PORT}\n    cmdStop: stop ${PORT} ${PID}\n    metadata: {p: \"${PORT}\"}\n").Models["m"];
        Assert.Equal<string>(["stop", "5800", "${PID}"], model.StopCommand);
        Assert.Equal(5800L, model.Metadata!["p"]!.GetValue<long>());
    }
}
