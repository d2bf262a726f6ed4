using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace ModelSwap.Gateway.Processes;

/// <summary>
/// Finds GPU memory by asking the vendors' tools, as Ollama and nvtop do: <c>nvidia-smi</c>, else
/// <c>rocm-smi</c>, looked up on PATH. Their answers give the total VRAM (the GPU budget) and the VRAM
/// each process holds. No tool, or one that fails or hangs (5 s), means no GPU.
/// </summary>
internal sealed class GpuProbe
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(5);

    private GpuProbe(string? tool, long? totalBytes)
    {
        Tool = tool;
        TotalBytes = totalBytes;
    }

    /// <summary>No GPU.</summary>
    public static GpuProbe None { get; } = new(null, null);

    /// <summary>The tool that answered (<c>nvidia-smi</c> or <c>rocm-smi</c>), or null.</summary>
    public string? Tool { get; }

    /// <summary>VRAM of every device together, or null without a GPU.</summary>
    public long? TotalBytes { get; }

    public static GpuProbe Detect()
    {
        if (Run("nvidia-smi", "--query-gpu=memory.total", "--format=csv,noheader,nounits") is { } nvidia
            && ParseNvidiaTotal(nvidia) is { } nvidiaTotal)
        {
            return new GpuProbe("nvidia-smi", nvidiaTotal);
        }
        if (Run("rocm-smi", "--showmeminfo", "vram", "--json") is { } rocm && ParseRocmTotal(rocm) is { } rocmTotal)
        {
            return new GpuProbe("rocm-smi", rocmTotal);
        }
        return None;
    }

    /// <summary>VRAM held per process id, as the tool reports it now; empty without a GPU or when it fails.</summary>
    public IReadOnlyDictionary<int, long> PerProcess() => Tool switch
    {
        "nvidia-smi" => Run("nvidia-smi", "--query-compute-apps=pid,used_memory", "--format=csv,noheader,nounits") is { } text
            ? ParseNvidiaApps(text) : new Dictionary<int, long>(),
        "rocm-smi" => Run("rocm-smi", "--showpids", "--json") is { } json ? ParseRocmPids(json) : new Dictionary<int, long>(),
        _ => new Dictionary<int, long>(),
    };

    /// <summary>One line per device, each the total in MiB (<c>--format=csv,noheader,nounits</c>).</summary>
    internal static long? ParseNvidiaTotal(string text)
    {
        long total = 0;
        var devices = 0;
        foreach (var line in Lines(text))
        {
            if (!long.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var mib))
            {
                return null;
            }
            total += mib * 1024 * 1024;
            devices++;
        }
        return devices > 0 ? total : null;
    }

    /// <summary>Lines of <c>pid, used MiB</c>; a process on two devices is summed.</summary>
    internal static Dictionary<int, long> ParseNvidiaApps(string text)
    {
        var result = new Dictionary<int, long>();
        foreach (var line in Lines(text))
        {
            var parts = line.Split(',', StringSplitOptions.TrimEntries);
            if (parts.Length >= 2
                && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var mib))
            {
                result[pid] = result.GetValueOrDefault(pid) + mib * 1024 * 1024;
            }
        }
        return result;
    }

    /// <summary><c>{"card0": {"VRAM Total Memory (B)": "17163091968", …}, …}</c>: summed over cards.</summary>
    internal static long? ParseRocmTotal(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            long total = 0;
            var cards = 0;
            foreach (var card in document.RootElement.EnumerateObject())
            {
                if (card.Value.ValueKind == JsonValueKind.Object
                    && card.Value.TryGetProperty("VRAM Total Memory (B)", out var value)
                    && long.TryParse(value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var bytes))
                {
                    total += bytes;
                    cards++;
                }
            }
            return cards > 0 ? total : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary><c>{"system": {"PID1234": "name, gpus, vram bytes, sdma, cu"}}</c>.</summary>
    internal static Dictionary<int, long> ParseRocmPids(string json)
    {
        var result = new Dictionary<int, long>();
        try
        {
            using var document = JsonDocument.Parse(json);
            if (!document.RootElement.TryGetProperty("system", out var system) || system.ValueKind != JsonValueKind.Object)
            {
                return result;
            }
            foreach (var entry in system.EnumerateObject())
            {
                var fields = (entry.Value.GetString() ?? "").Split(',', StringSplitOptions.TrimEntries);
                if (entry.Name.StartsWith("PID", StringComparison.Ordinal)
                    && int.TryParse(entry.Name.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                    && fields.Length >= 3
                    && long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var bytes))
                {
                    result[pid] = bytes;
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
        }
        return result;
    }

    private static IEnumerable<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The tool's stdout when it exits 0 within the timeout; null otherwise (absent, failed, hung).</summary>
    private static string? Run(string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        try
        {
            using var process = Process.Start(info);
            if (process is null)
            {
                return null;
            }
            var output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(ToolTimeout))
            {
                process.Kill(entireProcessTree: true);
                return null;
            }
            return process.ExitCode == 0 ? output.GetAwaiter().GetResult() : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return null;
        }
    }
}
