using System.Text.RegularExpressions;

namespace ModelSwap.Core.Catalog;

/// <summary>
/// Whether a llama-server build offloads to a GPU, so generated commands pass <c>-ngl</c> only where
/// it does something. A bundled GPU variant says so by its folder (<c>linux-x64-vulkan</c>,
/// <c>win32-x64-cuda</c>, …); any other build is asked with <c>--list-devices</c>, which lists the
/// non-CPU devices it can use (<c>(none)</c> on a CPU build).
/// </summary>
internal static partial class GpuDetection
{
    /// <summary>Folder suffixes of accelerated builds, in the order the locator prefers them.</summary>
    internal static readonly string[] AcceleratedVariants = ["cuda", "rocm", "hip", "vulkan", "metal", "sycl"];

    /// <summary>The GPU devices the build can use (empty for a CPU build, or when it cannot tell).</summary>
    public static async Task<IReadOnlyList<string>> DetectAsync(string binaryPath, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (VariantOf(binaryPath) is { } variant)
        {
            return [$"{variant} build ({Path.GetFileName(Path.GetDirectoryName(binaryPath))})"];
        }
        var (exitCode, text, error) = await VersionProbe.RunWithAsync(binaryPath, "--list-devices", timeout, cancellationToken).ConfigureAwait(false);
        return error is null && exitCode == 0 ? ParseDeviceList(text) : [];
        // A build that cannot list devices (older than --list-devices) is treated as CPU-only: no
        // GPU flag is passed unless models.yaml adds one through extraArgs.
    }

    /// <summary>The accelerated variant named by the binary's folder (<c>vulkan</c> for <c>…/linux-x64-vulkan/llama-server</c>).</summary>
    public static string? VariantOf(string binaryPath)
    {
        var folder = Path.GetFileName(Path.GetDirectoryName(binaryPath)) ?? "";
        var parts = folder.ToLowerInvariant().Split('-');
        // A platform folder is os-arch[-variant]: the variant is what follows the first two parts.
        return parts.Length >= 3
            ? AcceleratedVariants.FirstOrDefault(v => parts.Skip(2).Any(p => p.StartsWith(v, StringComparison.Ordinal)))
            : null;
    }

    /// <summary>
    /// The devices of llama-server's <c>--list-devices</c> output: the lines after
    /// <c>Available devices:</c> shaped <c>  NAME: DESCRIPTION (… MiB, … MiB free)</c>.
    /// </summary>
    public static IReadOnlyList<string> ParseDeviceList(string text)
    {
        var devices = new List<string>();
        var listing = false;
        foreach (var line in text.Split('\n'))
        {
            if (line.TrimStart().StartsWith("Available devices:", StringComparison.Ordinal))
            {
                listing = true;
                continue;
            }
            if (listing && DeviceLine().Match(line) is { Success: true } match)
            {
                devices.Add(match.Groups["name"].Value + ": " + match.Groups["description"].Value.Trim());
            }
        }
        // The empty list is the shared empty array, so a CPU build's LocatedBinary compares equal by value.
        return devices.Count == 0 ? [] : devices.ToArray();
    }

    [GeneratedRegex(@"^\s+(?<name>[A-Za-z][\w.]*):\s*(?<description>.*)$")]
    private static partial Regex DeviceLine();
}
