using System.Text.Json;
using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Testing;
using ModelSwap.Testing.HuggingFace;

namespace ModelSwap.Cli.Tests.Commands;

/// <summary>
/// The conventions every verb keeps: data on stdout, human text on stderr; `--format json` on every
/// listing gives JSON and nothing else; every table in one style; a mistake is one line on stderr
/// naming it, with exit 2.
/// </summary>
public sealed class OutputConventionTests : IAsyncLifetime
{
    private readonly string _root = Directory.CreateTempSubdirectory("modelswap-conventions-").FullName;
    private HuggingFaceMirror _mirror = null!;
    private ServeProcess _serve = null!;

    private string ModelsDir => Path.Combine(_root, "models");
    private string EmptyDir => Path.Combine(_root, "empty");
    private string Url => _serve.Client.BaseAddress!.ToString();

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(ModelsDir);
        Directory.CreateDirectory(EmptyDir);
        var file = Path.Combine(ModelsDir, "tiny-chat-q8_0.gguf");
        TinyModelBuilder.Write(file);
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(-5));
        _mirror = await HuggingFaceMirror.StartAsync();
        _mirror.AddRepo("bartowski/Qwen-GGUF", r => { r.Downloads = 1234; r.Likes = 5; });
        _serve = await ServeProcess.StartAsync($"""
            models:
              fake:
                cmd: {ServeProcess.FakeCmd("fake")}
            """);
    }

    public async Task DisposeAsync()
    {
        await _serve.DisposeAsync();
        await _mirror.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>Every listing verb, with what it needs to list something.</summary>
    private string[][] Listings() =>
    [
        ["list", "--models-dir", ModelsDir, "--url", Url],
        ["models", "list", "--models-dir", ModelsDir, "--url", Url],
        ["ps", "--url", Url],
        ["models", "search", "qwen"],
        ["status", "--url", Url],
    ];

    private Task<CliResult> RunAsync(params string[] args) =>
        new CliRunner(Path.Combine(_root, "home")).With(("HF_ENDPOINT", _mirror.Endpoint.AbsoluteUri)).RunAsync(args);

    private async Task LoadFakeAsync()
    {
        using var load = await _serve.Client.PostAsync("/api/models/fake/load", null);
        Assert.True(load.IsSuccessStatusCode, await load.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Every_listing_with_format_json_prints_json_and_nothing_else()
    {
        await LoadFakeAsync();
        foreach (var verb in Listings())
        {
            var (code, stdout, stderr) = await RunAsync([.. verb, "--format", "json"]);

            Assert.True(code == 0, $"{string.Join(' ', verb)}: exit {code}: {stderr}");
            using var json = JsonDocument.Parse(stdout); // throws on anything but one JSON value
            Assert.True(json.RootElement.ValueKind is JsonValueKind.Array or JsonValueKind.Object, stdout);
            Assert.True(json.RootElement.ValueKind != JsonValueKind.Array || json.RootElement.GetArrayLength() > 0, $"{string.Join(' ', verb)} listed nothing");
        }
    }

    [Fact]
    public async Task Every_table_has_one_style_upper_case_headers_aligned_columns_no_borders()
    {
        await LoadFakeAsync();
        foreach (var verb in Listings().Where(v => v[0] != "status"))
        {
            var (code, stdout, stderr) = await RunAsync(verb);

            Assert.True(code == 0, $"{string.Join(' ', verb)}: exit {code}: {stderr}");
            var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length >= 2, $"{string.Join(' ', verb)}: {stdout}");
            var headers = lines[0].Split("   ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.True(headers.Length >= 3, lines[0]);
            Assert.All(headers, h => Assert.Matches("^[A-Z]+$", h));
            Assert.DoesNotContain(stdout, c => "│─┌┐└┘┼━┃╭╮".Contains(c, StringComparison.Ordinal));
            Assert.DoesNotContain('\u001b', stdout); // no colour codes in a pipe
            // Aligned: each column starts where its header starts (the header's cells are single words).
            var starts = headers.Select(h => lines[0].IndexOf(h, StringComparison.Ordinal)).ToArray();
            foreach (var line in lines.Skip(1))
            {
                Assert.All(starts.Skip(1), start => Assert.True(line.Length > start && line[start - 1] == ' ' && line[start] != ' ', $"{string.Join(' ', verb)}:\n{stdout}"));
                Assert.Equal(line.TrimEnd(), line);
            }
        }
    }

    [Fact]
    public async Task With_nothing_to_list_stdout_stays_empty_and_stderr_says_why()
    {
        foreach (var verb in new[] { new[] { "ps", "--url", Url }, ["models", "list", "--models-dir", EmptyDir, "--url", Url] })
        {
            var (code, stdout, stderr) = await RunAsync(verb);

            Assert.True(code == 0, stderr);
            Assert.Equal("", stdout);
            Assert.False(string.IsNullOrWhiteSpace(stderr));
        }
    }

    [Fact]
    public async Task A_wrong_format_is_one_line_naming_it_with_exit_2()
    {
        foreach (var verb in Listings())
        {
            var (code, stdout, stderr) = await RunAsync([.. verb, "--format", "yaml"]);

            Assert.Equal(2, code);
            Assert.Equal("", stdout);
            var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("error: ", line, StringComparison.Ordinal);
            Assert.Contains("'yaml'", line, StringComparison.Ordinal);
            Assert.Contains("'json'", line, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("lsit", "'list'")]
    [InlineData("models lisst", "'list'")]
    [InlineData("ps --fromat json", "'--format'")]
    public async Task A_misspelt_verb_or_option_is_one_line_with_a_suggestion_and_exit_2(string args, string suggestion)
    {
        var (code, stdout, stderr) = await RunAsync(args.Split(' '));

        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        // One line per mistake (a misspelt option also leaves its value unmatched), the first with the suggestion.
        var lines = stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, l => Assert.StartsWith("error: ", l, StringComparison.Ordinal));
        Assert.Contains($"did you mean {suggestion}?", lines[0], StringComparison.Ordinal);
        Assert.Contains("--help`", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_and_help_are_data_on_stdout()
    {
        var (code, stdout, stderr) = await RunAsync("--version");
        Assert.Equal(0, code);
        Assert.Matches(@"^\d+\.\d+\.\d+", stdout);
        Assert.Equal("", stderr);

        (code, stdout, _) = await RunAsync("ps", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--format", stdout, StringComparison.Ordinal);
    }
}
