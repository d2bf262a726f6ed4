using ModelSwap.Core.Catalog;
using ModelSwap.Core.Configuration;
using ModelSwap.Testing;

namespace ModelSwap.Core.Tests.Catalog;

/// <summary>File names are data, never macros: ${…} in a name reaches the command literally and blocks nothing.</summary>
public sealed class HostileFileNameTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("modelswap-hostile-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Files_named_like_macros_are_served_literally_and_the_rest_still_served()
    {
        var models = Path.Combine(_root, "models");
        string[] names = ["${env.HOME}-1b-instruct-Q4_K_M.gguf", "${PORT}-Q4_K_M.gguf", "${nope}.gguf", "leak-${env.HF_TOKEN}-Q4_K_M.gguf", "qwen2.5-0.5b-instruct-q4_k_m.gguf"];
        foreach (var name in names)
        {
            SmallGguf.Write(Path.Combine(models, name), chatTemplate: "t");
        }
        var generator = new CatalogGenerator(new CatalogOptions
        {
            ModelDirectories = [models],
            BundledDirectory = null,
            HomeDirectory = Path.Combine(_root, "home"),
            EngineCommand = ["/opt/modelswap/modelswap"],
            LlamaServer = "engine",
            Locator = new BinaryLocatorOptions { BaseDirectory = Path.Combine(_root, "app") },
            SettleTime = TimeSpan.Zero,
        });
        var generation = await generator.GenerateAsync();
        Assert.Empty(generation.Errors);
        const string token = "hf_SECRET_token_value";
        var loaded = ConfigLoader.LoadFile(generation.OutputPath!, new ConfigLoadOptions
        {
            IsPortFree = _ => true,
            GetEnvironmentVariable = name => name switch { "HF_TOKEN" => token, "HOME" => "/home/someone", _ => null },
        });
        Assert.True(loaded.IsValid, string.Join('\n', loaded.Diagnostics));
        var config = loaded.Config!;
        var served = config.Models.Values.Select(m => m.Command[Array.IndexOf([.. m.Command], "--model") + 1]).ToList();
        foreach (var name in names)
        {
            Assert.Contains(Path.Combine(models, name), served);
        }
        var everything = string.Join('\n', config.Models.Values.Select(m =>
            string.Join(' ', m.Command) + m.Name + m.Description + m.Metadata?.ToJsonString() + string.Join(',', m.Aliases)));
        Assert.DoesNotContain(token, everything, StringComparison.Ordinal);
        Assert.DoesNotContain("/home/someone", everything, StringComparison.Ordinal);
        Assert.All(config.Models.Values, m => Assert.Contains("--port", m.Command));
        Assert.All(config.Models.Values, m => Assert.Equal(m.Port.ToString(), m.Command[Array.IndexOf([.. m.Command], "--port") + 1]));
    }
}
