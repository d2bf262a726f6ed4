using System.Runtime.InteropServices;

namespace ModelSwap.Core.Catalog;

/// <summary>
/// An operating system and CPU architecture, named as bundled llama.cpp folders are
/// (<c>linux-x64</c>, <c>darwin-arm64</c>, <c>win32-x64</c>; Node.js spelling). Injectable so
/// tests can lay out any platform's folders on any machine.
/// </summary>
public sealed record BinaryPlatform(string Os, string Architecture)
{
    public static BinaryPlatform Current { get; } = new(CurrentOs(), CurrentArchitecture());

    public string Name => $"{Os}-{Architecture}";

    public bool IsWindows => Os == "win32";

    public char PathSeparator => IsWindows ? ';' : ':';

    public string ExecutableName(string baseName) => IsWindows ? baseName + ".exe" : baseName;

    /// <summary>Folder names meaning this platform: ours first, then the .NET RID and other common spellings.</summary>
    public IReadOnlyList<string> FolderNames => Os switch
    {
        "darwin" => [Name, $"osx-{Architecture}", $"macos-{Architecture}"],
        "win32" => [Name, $"win-{Architecture}", $"windows-{Architecture}"],
        _ => [Name],
    };

    private static string CurrentOs() =>
        OperatingSystem.IsWindows() ? "win32"
        : OperatingSystem.IsMacOS() ? "darwin"
        : OperatingSystem.IsFreeBSD() ? "freebsd"
        : "linux";

    private static string CurrentArchitecture() => RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.X64 => "x64",
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.X86 => "ia32",
        var other => other.ToString().ToLowerInvariant(),
    };
}
