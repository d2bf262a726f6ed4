using System.Runtime.InteropServices;
using LLama.Native;
using Microsoft.Extensions.Logging;

namespace ModelSwap.Engine.Hosting;

/// <summary>
/// Chooses which llama.cpp build LLamaSharp loads: the one scripts/build-engine-natives.sh compiled
/// for this CPU (GGML_NATIVE, about 12% less CPU per token than the prebuilt AVX-512 variant) when
/// it is there and fits, else LLamaSharp.Backend.Cpu's prebuilt libraries. LLamaSharp reads this
/// once per process, before its first native call, so the first engine in a process decides.
/// </summary>
internal static partial class NativeLibraries
{
    /// <summary>A folder of native libraries, or <see cref="Prebuilt"/>; the --native-dir option wins over it.</summary>
    public const string EnvironmentVariable = "MODELSWAP_ENGINE_NATIVES";

    /// <summary>The value that asks for LLamaSharp.Backend.Cpu's own libraries even when a native build exists.</summary>
    public const string Prebuilt = "prebuilt";

    /// <summary>
    /// The LLamaSharp whose marshalled structs (llama_model_params, llama_context_params,
    /// mtmd_context_params) the patched build matches; the build script writes the same text into
    /// its `abi` file. A test keeps it equal to Directory.Packages.props: bumping LLamaSharp needs a new patch.
    /// </summary>
    internal const string AbiTag = "LLamaSharp 0.30.0";

    private static readonly Lock Gate = new();
    private static bool _configured;

    /// <summary>Where scripts/build-engine-natives.sh leaves its newest build (a symlink to it).</summary>
    public static string DefaultDirectory => Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "modelswap", "engine-natives", "current");

    /// <summary>
    /// Points LLamaSharp at the chosen libraries; call before any native call. <paramref name="requested"/>
    /// is --native-dir (null: <see cref="EnvironmentVariable"/>, else <see cref="DefaultDirectory"/> when present).
    /// A folder that does not fit is logged and the prebuilt libraries are used instead.
    /// </summary>
    public static void Configure(string? requested, ILogger logger)
    {
        lock (Gate)
        {
            if (_configured || NativeLibraryConfig.LLama.LibraryHasLoaded)
                return;
            _configured = true;
            var explicitChoice = requested ?? (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } env ? env : null);
            if (string.Equals(explicitChoice, Prebuilt, StringComparison.OrdinalIgnoreCase))
                return;
            var directory = explicitChoice ?? DefaultDirectory;
            if (explicitChoice is null && !Directory.Exists(directory))
                return; // nothing built on this machine: the prebuilt libraries, as always
            if (Problem(directory, CpuFlags()) is { } problem)
            {
                NotUsed(logger, directory, problem);
                return;
            }
            var full = Path.GetFullPath(directory);
            NativeLibraryConfig.All.WithLibrary(Path.Combine(full, "libllama.so"), Path.Combine(full, "libmtmd.so"));
        }
    }

    /// <summary>Why the libraries in <paramref name="directory"/> cannot be used here; null when they can.</summary>
    internal static string? Problem(string directory, string? cpuFlags)
    {
        if (!Directory.Exists(directory))
            return "no such folder";
        foreach (var library in (string[])["libllama.so", "libmtmd.so"])
        {
            if (!File.Exists(Path.Combine(directory, library)))
                return $"{library} is missing";
        }
        var abi = ReadLine(Path.Combine(directory, "abi"));
        if (abi != AbiTag)
            return $"built for {abi ?? "an unknown LLamaSharp (no abi file)"}, this engine marshals the structs of {AbiTag}";
        // GGML_NATIVE code may use instructions this CPU lacks (a copied home, a migrated VM): SIGILL, not an error.
        if (cpuFlags is null || ReadLine(Path.Combine(directory, "cpu-flags")) != cpuFlags)
            return "built on a CPU with other instruction sets than this one";
        // Loading libmtmd loads libllama and libggml* beside it: a missing libgomp or a broken copy shows here, not mid-load.
        if (!NativeLibrary.TryLoad(Path.Combine(directory, "libmtmd.so"), out _))
            return "the dynamic loader refused libmtmd.so (run `ldd` on it)";
        return null;
    }

    /// <summary>The file libllama was loaded from, read from the process's own memory map; null before the first native call.</summary>
    public static string? LoadedLlamaLibrary()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/maps"))
            {
                var slash = line.IndexOf('/', StringComparison.Ordinal);
                if (slash >= 0 && Path.GetFileName(line.AsSpan(slash)).StartsWith("libllama.so", StringComparison.Ordinal))
                    return line[slash..];
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }

    /// <summary>Logs which build of libllama this process runs, so a benchmark or a bug report says which one was measured.</summary>
    public static void LogLoaded(ILogger logger)
    {
        var path = LoadedLlamaLibrary() ?? "unknown";
        // NuGet's natives sit under runtimes/<rid>/native/ beside the app; the cache folder's name mentions
        // LLamaSharp too (the version it is patched for), so only the runtimes folder tells them apart.
        var prebuilt = path.Contains("/runtimes/", StringComparison.Ordinal);
        Loaded(logger, prebuilt ? "LLamaSharp.Backend.Cpu prebuilt" : "built for this CPU", path);
    }

    /// <summary>The CPU's feature line from /proc/cpuinfo, as scripts/llama-source.sh records it; null when unreadable.</summary>
    internal static string? CpuFlags()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(line => line.StartsWith("flags", StringComparison.Ordinal))?.Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? ReadLine(string path)
    {
        try
        {
            return File.ReadLines(path).FirstOrDefault()?.Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    [LoggerMessage(40, LogLevel.Information, "llama.cpp native library: {Build} ({Path})")]
    private static partial void Loaded(ILogger logger, string build, string path);

    [LoggerMessage(41, LogLevel.Warning, "Native libraries in {Directory} not used ({Problem}); using LLamaSharp.Backend.Cpu's prebuilt ones")]
    private static partial void NotUsed(ILogger logger, string directory, string problem);
}
