using System.Diagnostics;

namespace ModelSwap.Dashboard.Tests.EndToEnd;

/// <summary>
/// `dotnet publish` of the CLI (from the build the tests ran after, --no-build), once per test run: the
/// end-to-end tests drive the published app, the way a user installs it, so its assets must be there.
/// </summary>
internal static class PublishedModelSwap
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _directory;

    public static async Task<string> DllAsync()
    {
        await Gate.WaitAsync();
        try
        {
            _directory ??= await PublishAsync();
            return System.IO.Path.Combine(_directory, "modelswap.dll");
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task<string> PublishAsync()
    {
        var output = Directory.CreateTempSubdirectory("modelswap-published-").FullName;
        var project = System.IO.Path.Combine(RepositoryRoot.Path, "src", "ModelSwap.Cli", "ModelSwap.Cli.csproj");
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "publish", project, "-c", RepositoryRoot.Configuration, "--no-build", "-o", output, "-nologo", "-v", "q" })
        {
            info.ArgumentList.Add(arg);
        }
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        }
        return output;
    }
}
