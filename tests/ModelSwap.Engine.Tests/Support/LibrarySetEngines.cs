using ModelSwap.Core.Catalog.Gguf;

namespace ModelSwap.Engine.Tests.Support;

/// <summary>
/// `modelswap engine` processes on each llama.cpp library set, started on first use and shared by one
/// test class: per set, a chat model with a generated projector (images) and an embedding model.
/// Started lazily and per set, so a missing build fails the tests that need it and no others.
/// </summary>
public sealed class LibrarySetEngines : IAsyncLifetime
{
    /// <summary>The libraries scripts/build-engine-natives.sh built for this CPU (<see cref="BuiltEngineLibraries"/>).</summary>
    public const string Built = "built";

    /// <summary>LLamaSharp.Backend.Cpu's own libraries: what every machine without the build runs.</summary>
    public const string Prebuilt = "prebuilt";

    private readonly string _directory = Directory.CreateTempSubdirectory("modelswap-library-sets-").FullName;
    private readonly Dictionary<string, Lazy<Task<LibrarySetEngine>>> _sets;
    private readonly List<EngineProcess> _processes = [];

    public LibrarySetEngines()
    {
        Chat = Path.Combine(_directory, "tiny-chat.gguf");
        Projector = Path.Combine(_directory, "mmproj-tiny-chat.gguf");
        Embedding = Path.Combine(_directory, "tiny-embed.gguf");
        TinyModelBuilder.Write(Chat, new TinyModelOptions { Seed = 21 });
        TinyProjectorBuilder.Write(Projector);
        TinyModelBuilder.Write(Embedding, new TinyModelOptions { Seed = 22, Embedding = true });
        _sets = new()
        {
            [Built] = new(() => StartAsync(() => BuiltEngineLibraries.Directory)),
            [Prebuilt] = new(() => StartAsync(() => Prebuilt)),
        };
    }

    public string Chat { get; }
    public string Projector { get; }
    public string Embedding { get; }

    /// <summary>The engines of <paramref name="set"/> (<see cref="Built"/> or <see cref="Prebuilt"/>), healthy.</summary>
    internal Task<LibrarySetEngine> ForAsync(string set) => _sets[set].Value;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        foreach (var set in _sets.Values)
        {
            if (set.IsValueCreated && set.Value.IsCompletedSuccessfully)
            {
                set.Value.Result.ChatHttp.Dispose();
                set.Value.Result.EmbedHttp.Dispose();
            }
        }
        lock (_processes)
        {
            foreach (var process in _processes)
                process.Dispose();
        }
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    private async Task<LibrarySetEngine> StartAsync(Func<string> nativeDir)
    {
        var dir = nativeDir();
        // One thread: these processes share a 2-core machine with the rest of the suite.
        var chat = Start("--model", Chat, "--mmproj", Projector, "--alias", "tiny", "--ctx-size", "1024", "--parallel", "1", "--threads", "1", "--native-dir", dir);
        var embed = Start("--model", Embedding, "--embeddings", "--alias", "embed", "--ctx-size", "64", "--parallel", "1", "--threads", "1", "--native-dir", dir);
        var chatHttp = new HttpClient { BaseAddress = await chat.WaitForAddressAsync(), Timeout = TimeSpan.FromMinutes(2) };
        var embedHttp = new HttpClient { BaseAddress = await embed.WaitForAddressAsync(), Timeout = TimeSpan.FromMinutes(2) };
        await chat.WaitUntilHealthyAsync(chatHttp);
        await embed.WaitUntilHealthyAsync(embedHttp);
        return new LibrarySetEngine(dir, chat, chatHttp, embed, embedHttp);
    }

    private EngineProcess Start(params string[] args)
    {
        var process = EngineProcess.Start(["engine", "--port", "0", .. args]);
        lock (_processes)
            _processes.Add(process);
        return process;
    }
}
