using System.Globalization;

namespace ModelSwap.Gateway.Processes;

/// <summary>
/// This ModelSwap's cgroup v2 folder, <c>modelswap-OWNER</c> below the cgroup ModelSwap itself runs in,
/// made on first use where the machine allows it: a cgroup2 mount (pure v2 at /sys/fs/cgroup or the
/// hybrid /sys/fs/cgroup/unified) whose folder for our cgroup we may write (root, or a delegated
/// systemd unit). Every model server run gets a child cgroup of it (<see cref="ModelCgroup"/>).
/// Null elsewhere (no cgroup2, no write access, not Linux, MODELSWAP_CGROUPS=off); then the
/// environment tag (<see cref="ProcessTags"/>) alone finds the strays.
/// </summary>
internal static class CgroupOwner
{
    public const string DisableVariable = "MODELSWAP_CGROUPS";

    private static readonly Lazy<string?> DirectoryLazy = new(() => Create(ProcessTags.Owner));

    /// <summary>The folder, created on first use; null where cgroups cannot be used here.</summary>
    public static string? Directory => DirectoryLazy.Value;

    /// <summary>The cgroup2 folder of this process (mount point + its path in /proc/self/cgroup), or null.</summary>
    public static string? OwnCgroupFolder()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        try
        {
            var mount = File.ReadLines("/proc/self/mountinfo")
                .Select(l => (Fields: l.Split(' '), Type: l[(l.IndexOf(" - ", StringComparison.Ordinal) + 3)..].Split(' ')[0]))
                .Where(m => m.Type == "cgroup2" && m.Fields.Length > 4)
                .Select(m => Unescape(m.Fields[4]))
                .FirstOrDefault();
            var own = File.ReadLines("/proc/self/cgroup").FirstOrDefault(l => l.StartsWith("0::", StringComparison.Ordinal))?[3..];
            if (mount is null || own is null || !own.StartsWith('/'))
            {
                return null;
            }
            var folder = Path.Join(mount, own.TrimEnd('/'));
            return File.Exists(Path.Combine(folder, "cgroup.procs")) ? folder : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string? Create(string owner)
    {
        if (string.Equals(Environment.GetEnvironmentVariable(DisableVariable), "off", StringComparison.OrdinalIgnoreCase)
            || !File.Exists("/bin/sh") || OwnCgroupFolder() is not { } parent)
        {
            return null;
        }
        var folder = Path.Combine(parent, "modelswap-" + owner.Replace('.', '-'));
        try
        {
            System.IO.Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        // A real cgroup has its interface files; a plain folder (a tmpfs where cgroup2 is not mounted) does not.
        if (!File.Exists(Path.Combine(folder, "cgroup.procs")))
        {
            TryRemove(folder);
            return null;
        }
        return folder;
    }

    internal static bool TryRemove(string folder)
    {
        try
        {
            // rmdir, not a recursive delete: a cgroup folder goes only when empty, interface files and all.
            System.IO.Directory.Delete(folder);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return !System.IO.Directory.Exists(folder);
        }
    }

    // mountinfo escapes space, tab, newline and backslash as \ooo.
    private static string Unescape(string field) =>
        System.Text.RegularExpressions.Regex.Replace(field, @"\\([0-7]{3})",
            m => ((char)Convert.ToInt32(m.Groups[1].Value, 8)).ToString(CultureInfo.InvariantCulture));
}
