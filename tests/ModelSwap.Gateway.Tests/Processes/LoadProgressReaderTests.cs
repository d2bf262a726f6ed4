using ModelSwap.Gateway.Processes;

namespace ModelSwap.Gateway.Tests.Processes;

/// <summary>llama-server's router-protocol state lines (as v0.5.0 prints them) read as load progress.</summary>
public sealed class LoadProgressReaderTests
{
    [Fact]
    public void Loading_lines_give_a_growing_fraction_over_every_stage()
    {
        var reader = new LoadProgressReader();
        Assert.False(reader.Observe("srv  load_model: loading model '/m/x.gguf'"));
        Assert.Null(reader.Value);
        Assert.True(reader.Observe("""cmd_child_to_router:state:{"payload":{"current":"text_model","stages":["text_model","spec_model"],"value":0.0},"state":"loading"}"""));
        Assert.Equal(0, reader.Value);
        Assert.True(reader.Observe("""cmd_child_to_router:state:{"payload":{"current":"text_model","stages":["text_model","spec_model"],"value":0.5},"state":"loading"}"""));
        Assert.Equal(0.25, reader.Value);
        Assert.True(reader.Observe("""cmd_child_to_router:state:{"payload":{"current":"spec_model","stages":["text_model","spec_model"],"value":1.0},"state":"loading"}"""));
        Assert.Equal(1, reader.Value);
        // Never backwards (a restarted stage, a stray 0).
        Assert.False(reader.Observe("""cmd_child_to_router:state:{"payload":{"current":"text_model","stages":["text_model"],"value":0.1},"state":"loading"}"""));
        Assert.Equal(1, reader.Value);
    }

    [Fact]
    public void Ready_is_everything_and_junk_is_ignored()
    {
        var reader = new LoadProgressReader();
        Assert.False(reader.Observe("cmd_child_to_router:state:{not json"));
        Assert.False(reader.Observe("""cmd_child_to_router:state:{"state":"sleeping","payload":{}}"""));
        Assert.True(reader.Observe("\u001b[0mcmd_child_to_router:state:{\"state\":\"ready\",\"payload\":{\"model\":\"x\"}}"));
        Assert.Equal(1, reader.Value);
    }
}
