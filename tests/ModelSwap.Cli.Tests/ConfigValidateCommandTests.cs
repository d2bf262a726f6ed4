using System.CommandLine;
using ModelSwap.Cli.Commands;

namespace ModelSwap.Cli.Tests;

/// <summary>`modelswap config validate FILE`, run in-process through the real command tree.</summary>
public sealed class ConfigValidateCommandTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("modelswap-validate-");

    public void Dispose() => _directory.Delete(recursive: true);

    private string Write(string yaml)
    {
        var path = Path.Combine(_directory.FullName, "config.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exitCode = await CommandTree.Build().Parse(args).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (exitCode, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Valid_config_exits_0_with_a_summary()
    {
        var path = Write("models:\n  a:\n    cmd: server --port ${PORT}\n  b:\n    cmd: server --port ${PORT}\n");
        var (exitCode, stdout, stderr) = await RunAsync("config", "validate", path);
        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Equal($"{path}: valid: 2 models, 0 warnings", stderr.Trim());
        Assert.Empty(stdout);
    }

    [Fact]
    public async Task Warnings_are_printed_with_their_lines_and_do_not_fail()
    {
        var path = Write("models:\n  a:\n    cmd: server --port ${PORT}\n    ttll: 5\nrouting:\n  router: {use: group}\n");
        var (exitCode, _, stderr) = await RunAsync("config", "validate", path);
        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Contains($"warning: {path}:4: models.a.ttll: unknown key 'ttll' is ignored; did you mean 'ttl'?", stderr, StringComparison.Ordinal);
        Assert.Contains($"warning: {path}:5: routing: 'routing' is a llama-swap setting ModelSwap does not support", stderr, StringComparison.Ordinal);
        Assert.Contains($"{path}: valid: 1 model, 2 warnings", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_config_prints_every_error_with_its_line_and_exits_2()
    {
        var path = Write("""
            globalTTL: -1
            models:
              a:
                cmd: server --port ${PORT}
                ttl: abc
              b:
                proxy: http://127.0.0.1:9
            """);
        var (exitCode, _, stderr) = await RunAsync("config", "validate", path);
        Assert.Equal(ExitCodes.InvalidInput, exitCode);
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(
        [
            $"error: {path}:1: globalTTL: globalTTL must be >= 0 seconds (0 means never unload), got -1",
            $"error: {path}:5: models.a.ttl: ttl must be a whole number of seconds, got 'abc'",
            $"error: {path}:6: models.b.cmd: model 'b' has no cmd; 'cmd' is required",
            $"{path}: invalid: 3 errors, 0 warnings",
        ], lines);
    }

    [Fact]
    public async Task Yaml_syntax_error_exits_2_with_its_line()
    {
        var path = Write("models:\n  a:\n    cmd: \"unterminated\n");
        var (exitCode, _, stderr) = await RunAsync("config", "validate", path);
        Assert.Equal(ExitCodes.InvalidInput, exitCode);
        Assert.Contains($"error: {path}:3: invalid YAML:", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_file_exits_2()
    {
        var path = Path.Combine(_directory.FullName, "nope.yaml");
        var (exitCode, _, stderr) = await RunAsync("config", "validate", path);
        Assert.Equal(ExitCodes.InvalidInput, exitCode);
        Assert.Contains($"error: {path}: file not found", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_describes_the_verb()
    {
        var (exitCode, stdout, _) = await RunAsync("config", "validate", "--help");
        Assert.Equal(ExitCodes.Ok, exitCode);
        Assert.Contains("FILE", stdout, StringComparison.Ordinal);
        Assert.Contains("exit 0 only when it is valid", stdout, StringComparison.Ordinal);
    }
}
