using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using ModelSwap.Engine.Hosting;

namespace ModelSwap.Cli.Commands;

/// <summary>`modelswap engine`: serves one GGUF model over the OpenAI API with the built-in LLamaSharp engine.</summary>
internal static class EngineCommand
{
    public static Command Create()
    {
        var model = new Option<FileInfo>("--model", "-m") { Description = "The GGUF model file to serve.", Required = true };
        var port = new Option<int>("--port") { Description = "TCP port to listen on (0 picks a free one).", Required = true };
        var host = new Option<string>("--host") { Description = "Address to listen on.", DefaultValueFactory = _ => "127.0.0.1" };
        var contextSize = new Option<int?>("--ctx-size", "-c") { Description = "Tokens per request, prompt plus reply (default: the model's, at most 4096)." };
        var threads = new Option<int?>("--threads", "-t") { Description = "CPU threads for decoding (default: the physical cores, as llama-server)." };
        var parallel = new Option<int>("--parallel", "-np") { Description = "Requests generated at once; more wait in a queue.", DefaultValueFactory = _ => 4 };
        var embeddings = new Option<bool>("--embeddings") { Description = "Also serve /v1/embeddings." };
        var reranking = new Option<bool>("--reranking") { Description = "Serve /v1/rerank with a reranker model (rank pooling), as llama-server's --reranking." };
        var projector = new Option<FileInfo?>("--mmproj", "-mm") { Description = "A vision projector (mmproj GGUF) for the model: chat content may then hold images, as llama-server's --mmproj." };
        var noImageUrls = new Option<bool>("--no-image-urls") { Description = "Do not fetch images named by http(s) URL in content (data URLs only); by default they are fetched, as llama-server does." };
        var alias = new Option<string?>("--alias", "-a") { Description = "Model id reported to clients (default: the file name)." };
        var nativeDir = new Option<string?>("--native-dir")
        {
            Description = "llama.cpp libraries built for this CPU by scripts/build-engine-natives.sh, or 'prebuilt' for LLamaSharp's own "
                + $"(default: ${NativeLibraries.EnvironmentVariable}, else the script's cache when it exists).",
        };

        var command = new Command("engine", "Serve one GGUF model over the OpenAI API with the built-in engine (LLamaSharp).");
        foreach (var option in new Option[] { model, port, host, contextSize, threads, parallel, embeddings, reranking, projector, noImageUrls, alias, nativeDir })
            command.Options.Add(option);

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var file = parseResult.GetValue(model)!;
            if (!file.Exists)
            {
                Console.Error.WriteLine($"modelswap engine: --model: file not found: {file.FullName}");
                return ExitCodes.InvalidInput;
            }
            var projectorFile = parseResult.GetValue(projector);
            if (projectorFile is { Exists: false })
            {
                Console.Error.WriteLine($"modelswap engine: --mmproj: file not found: {projectorFile.FullName}");
                return ExitCodes.InvalidInput;
            }
            var options = new EngineOptions
            {
                ModelPath = file.FullName,
                Port = parseResult.GetValue(port),
                Host = parseResult.GetValue(host)!,
                ContextSize = parseResult.GetValue(contextSize),
                Parallel = parseResult.GetValue(parallel),
                Embeddings = parseResult.GetValue(embeddings),
                Reranking = parseResult.GetValue(reranking),
                Alias = parseResult.GetValue(alias),
                ProjectorPath = projectorFile?.FullName,
                ImageUrls = !parseResult.GetValue(noImageUrls),
                NativeDirectory = parseResult.GetValue(nativeDir),
            };
            if (parseResult.GetValue(threads) is { } chosen)
                options = options with { Threads = chosen };
            var errors = options.Validate();
            if (errors.Count > 0)
            {
                foreach (var error in errors)
                    Console.Error.WriteLine($"modelswap engine: {error}");
                return ExitCodes.InvalidInput;
            }

            using var loggerFactory = CreateLoggerFactory();
            await using var engine = new EngineHost(options, loggerFactory);
            try
            {
                return await engine.RunAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                // Kestrel reports a taken port as an IOException ("address already in use").
                Console.Error.WriteLine($"modelswap engine: cannot listen on {options.Host}:{options.Port}: {ex.Message}");
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    /// <summary>Logs go to stderr (stdout is for data), one line each; MODELSWAP_LOG_LEVEL=Debug shows llama.cpp's own lines.</summary>
    private static ILoggerFactory CreateLoggerFactory()
    {
        var level = Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("MODELSWAP_LOG_LEVEL"), ignoreCase: true, out var parsed)
            ? parsed
            : LogLevel.Information;
        return LoggerFactory.Create(logging =>
        {
            logging.SetMinimumLevel(level);
            logging.AddFilter("Microsoft", LogLevel.Warning);
            logging.AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.TimestampFormat = "HH:mm:ss.fff ";
            });
            logging.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        });
    }
}
