using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Testing;

namespace ModelSwap.Cli.Tests;

/// <summary>
/// scripts/install.sh into a temporary PREFIX, then the installed `modelswap` on its own: --version,
/// and `list` and `ps` against a running test service. The framework-dependent mode is what this
/// test installs: the self-contained default builds every project again for one platform and
/// fetches a runtime pack, minutes more on a busy machine for the same program.
/// </summary>
public sealed class InstallScriptTests : IDisposable
{
    private static readonly TimeSpan InstallGuard = TimeSpan.FromMinutes(20);
    private readonly string _root = Directory.CreateTempSubdirectory("modelswap-install-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task The_installed_modelswap_runs_version_list_and_ps_against_a_service()
    {
        var prefix = Path.Combine(_root, "prefix");
        var script = Path.Combine(RepositoryRoot(), "scripts", "install.sh");
        var cli = new CliRunner(Path.Combine(_root, "home"));

        var (installed, installErr) = await InstallAsync(script, prefix);

        Assert.True(installed == 0, installErr);
        var modelswap = Path.Combine(prefix, "bin", "modelswap");
        Assert.True(File.Exists(modelswap), installErr);
        Assert.Contains($"installed: {modelswap}", installErr, StringComparison.Ordinal);

        var (versioned, version, versionErr) = await cli.RunToolAsync(modelswap, "--version");
        Assert.True(versioned == 0, versionErr);
        Assert.Matches(@"^\d+\.\d+\.\d+", version.Trim());

        var models = Path.Combine(_root, "models");
        Directory.CreateDirectory(models);
        var file = Path.Combine(models, "tiny-chat-q8_0.gguf");
        TinyModelBuilder.Write(file);
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(-5));
        await using var serve = await ServeProcess.StartAsync("""
            models:
              fake:
                cmd: FAKE
            """.Replace("FAKE", ServeProcess.FakeCmd("fake"), StringComparison.Ordinal));
        var url = serve.Client.BaseAddress!.ToString();
        using (var load = await serve.Client.PostAsync("/api/models/fake/load", null))
        {
            Assert.True(load.IsSuccessStatusCode, await load.Content.ReadAsStringAsync());
        }

        var (listed, list, listErr) = await cli.RunToolAsync(modelswap, "list", "--models-dir", models, "--url", url, "--format", "json");
        Assert.True(listed == 0, listErr);
        var row = Assert.Single(JsonNode.Parse(list)!.AsArray());
        Assert.Equal(file, row!["file"]!.GetValue<string>());
        Assert.False(row["loaded"]!.GetValue<bool>()); // the service answered: not "unknown"

        var (psCode, ps, psErr) = await cli.RunToolAsync(modelswap, "ps", "--url", url, "--format", "json");
        Assert.True(psCode == 0, psErr);
        Assert.Equal("fake", Assert.Single(JsonNode.Parse(ps)!.AsArray())!["model"]!.GetValue<string>());
        Assert.Equal("fake", (await serve.Client.GetFromJsonAsync<JsonObject>("/running"))!["running"]![0]!["model"]!.GetValue<string>());
    }

    /// <summary>The install runs a publish: longer than a command's usual hang guard on a busy machine.</summary>
    private static async Task<(int Code, string Stderr)> InstallAsync(string script, string prefix)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        info.ArgumentList.Add("--framework-dependent");
        info.Environment["PREFIX"] = prefix;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var guard = new CancellationTokenSource(InstallGuard);
        try
        {
            await process.WaitForExitAsync(guard.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"hang guard: install.sh did not finish within {InstallGuard.TotalMinutes} min: {await stderr}");
        }
        await stdout;
        return (process.ExitCode, await stderr);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "scripts", "install.sh")))
            {
                return dir.FullName;
            }
        }
        throw new DirectoryNotFoundException($"scripts/install.sh not found above {AppContext.BaseDirectory}");
    }
}
