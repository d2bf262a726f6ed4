using System.Collections.Immutable;
using System.Globalization;

namespace ModelSwap.Core.Memory;

/// <summary>
/// What a model's command line says about its memory: which server, which files, how much context,
/// how many parallel slots, the KV cache types and the layers offloaded to a GPU. Values the command
/// leaves out are null, so the estimator applies that server's own defaults.
/// </summary>
public sealed record ServerCommand
{
    public ServerKind Kind { get; init; }
    public string? ModelPath { get; init; }
    public string? ProjectorPath { get; init; }
    public int? ContextSize { get; init; }
    public int? Parallel { get; init; }
    public string? CacheTypeK { get; init; }
    public string? CacheTypeV { get; init; }
    public int? GpuLayers { get; init; }
    public int? UBatchSize { get; init; }
    public bool Embeddings { get; init; }

    public static ServerCommand Parse(ImmutableArray<string> command)
    {
        if (command.IsDefaultOrEmpty)
        {
            return new ServerCommand();
        }
        var program = ProgramName(command[0]);
        int first;
        ServerKind kind;
        if (program is "llama-server")
        {
            kind = ServerKind.LlamaServer;
            first = 1;
        }
        else if (EngineVerbIndex(command) is { } verb)
        {
            kind = ServerKind.Engine;
            first = verb + 1;
        }
        else
        {
            return new ServerCommand();
        }
        var result = new ServerCommand { Kind = kind };
        for (var i = first; i < command.Length; i++)
        {
            var arg = command[i];
            string? inline = null;
            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            if (arg.StartsWith("--", StringComparison.Ordinal) && equals > 0)
            {
                inline = arg[(equals + 1)..];
                arg = arg[..equals];
            }
            string? Value() => inline ?? (i + 1 < command.Length ? command[++i] : null);
            switch (arg)
            {
                case "-m" or "--model":
                    result = result with { ModelPath = Value() };
                    break;
                case "-mm" or "--mmproj":
                    result = result with { ProjectorPath = Value() };
                    break;
                case "-c" or "--ctx-size":
                    result = result with { ContextSize = Int(Value()) };
                    break;
                case "-np" or "--parallel":
                    result = result with { Parallel = Int(Value()) };
                    break;
                case "-ctk" or "--cache-type-k":
                    result = result with { CacheTypeK = Value() };
                    break;
                case "-ctv" or "--cache-type-v":
                    result = result with { CacheTypeV = Value() };
                    break;
                case "-ngl" or "--gpu-layers" or "--n-gpu-layers":
                    var layers = Value();
                    // llama.cpp takes "auto" and "all" too; both mean as many as there are.
                    result = result with { GpuLayers = layers is "all" or "auto" ? int.MaxValue : Int(layers) };
                    break;
                case "-ub" or "--ubatch-size":
                    result = result with { UBatchSize = Int(Value()) };
                    break;
                case "--embedding" or "--embeddings":
                    result = result with { Embeddings = true };
                    break;
            }
        }
        return result;
    }

    private static string ProgramName(string path)
    {
        var name = Path.GetFileName(path.Replace('\\', '/'));
        return name.EndsWith(".exe", StringComparison.OrdinalIgnoreCase) ? name[..^4] : name;
    }

    /// <summary>The index of <c>engine</c> right after <c>modelswap</c> or <c>[dotnet] …modelswap.dll</c>.</summary>
    private static int? EngineVerbIndex(ImmutableArray<string> command)
    {
        for (var i = 1; i < Math.Min(command.Length, 3); i++)
        {
            if (command[i] == "engine")
            {
                var before = ProgramName(command[i - 1]);
                if (before.Equals("modelswap", StringComparison.OrdinalIgnoreCase)
                    || before.Equals("modelswap.dll", StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }
        }
        return null;
    }

    private static int? Int(string? text) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;
}
