using ModelSwap.Hub.HuggingFace;

namespace ModelSwap.Hub.Tests.HuggingFace;

public sealed class HubOptionsTests : IDisposable
{
    private readonly string _home = Path.Combine(Path.GetTempPath(), "modelswap-hubopts-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        if (Directory.Exists(_home))
        {
            Directory.Delete(_home, true);
        }
    }

    [Fact]
    public void Endpoint_and_token_come_from_HF_ENDPOINT_and_HF_TOKEN()
    {
        var env = new Dictionary<string, string> { ["HF_ENDPOINT"] = "http://127.0.0.1:9/hf", ["HF_TOKEN"] = "hf_env", ["HOME"] = _home };
        var options = HubOptions.FromEnvironment(env.GetValueOrDefault);
        Assert.Equal("http://127.0.0.1:9/hf/", options.Endpoint.AbsoluteUri);
        Assert.Equal("hf_env", options.Token);
        Assert.DoesNotContain("hf_env", options.ToString());
    }

    [Fact]
    public void Token_file_under_HF_HOME_or_the_default_cache_is_used_without_HF_TOKEN()
    {
        var cache = Path.Combine(_home, ".cache", "huggingface");
        Directory.CreateDirectory(cache);
        File.WriteAllText(Path.Combine(cache, "token"), "hf_from_file\n");
        var hfHome = Path.Combine(_home, "hfhome");
        Directory.CreateDirectory(hfHome);
        File.WriteAllText(Path.Combine(hfHome, "token"), "hf_from_hf_home");

        var fromDefault = HubOptions.FromEnvironment(new Dictionary<string, string> { ["HOME"] = _home }.GetValueOrDefault);
        var fromHfHome = HubOptions.FromEnvironment(new Dictionary<string, string> { ["HOME"] = _home, ["HF_HOME"] = hfHome }.GetValueOrDefault);
        var none = HubOptions.FromEnvironment(new Dictionary<string, string> { ["HOME"] = Path.Combine(_home, "empty") }.GetValueOrDefault);

        Assert.Equal("hf_from_file", fromDefault.Token);
        Assert.Equal("hf_from_hf_home", fromHfHome.Token);
        Assert.Null(none.Token);
        Assert.Equal(HubOptions.DefaultEndpoint, none.Endpoint);
    }
}
