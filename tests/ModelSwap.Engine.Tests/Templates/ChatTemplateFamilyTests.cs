using System.Text.Json;
using ModelSwap.Core.Catalog.Gguf;
using ModelSwap.Engine.Templates;
using ModelSwap.Engine.Tests.Support;

namespace ModelSwap.Engine.Tests.Templates;

/// <summary>
/// The real chat templates of the common model families (Fixtures/*.jinja), written into generated
/// GGUFs, read back and rendered by our interpreter, must give exactly the prompt that Hugging Face's
/// Jinja2 renders for the same conversation (Fixtures/expected, made by Fixtures/generate.py).
/// </summary>
public sealed class ChatTemplateFamilyTests : IDisposable
{
    private static readonly string Fixtures = Path.Combine(RepositoryPaths.Root, "tests", "ModelSwap.Engine.Tests", "Templates", "Fixtures");
    private readonly string _directory = Directory.CreateTempSubdirectory("modelswap-templates-").FullName;

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(Fixtures, "expected"), "*.txt").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileNameWithoutExtension(file));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Renders_the_prompt_HuggingFace_renders(string caseName)
    {
        using var spec = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures, "cases.json")));
        var root = spec.RootElement;
        var testCase = root.GetProperty("cases").EnumerateArray().Single(c => CaseName(c) == caseName);
        var family = testCase.GetProperty("template").GetString()!;

        // Through a GGUF, as the engine gets it.
        var model = Path.Combine(_directory, family + ".gguf");
        TinyModelBuilder.Write(model, new TinyModelOptions { ChatTemplate = File.ReadAllText(Path.Combine(Fixtures, family + ".jinja")) });
        var source = GgufReader.Read(model).GetString("tokenizer.chat_template")!;

        var messages = (List<object?>)JinjaJson.FromJson(root.GetProperty("conversations").GetProperty(testCase.GetProperty("conversation").GetString()!))!;
        if (testCase.TryGetProperty("string_arguments", out var asStrings) && asStrings.GetBoolean())
        {
            foreach (var call in messages.Cast<Dictionary<string, object?>>().SelectMany(m => m.TryGetValue("tool_calls", out var calls) ? (List<object?>)calls! : []))
            {
                var function = (Dictionary<string, object?>)((Dictionary<string, object?>)call!)["function"]!;
                function["arguments"] = JinjaJson.Dumps(function["arguments"]);
            }
        }
        var tools = testCase.TryGetProperty("tools", out var withTools) && withTools.GetBoolean()
            ? (List<object?>)JinjaJson.FromJson(root.GetProperty("tools"))!
            : null;
        var extra = testCase.TryGetProperty("kwargs", out var kwargs)
            ? (Dictionary<string, object?>)JinjaJson.FromJson(kwargs)!
            : new Dictionary<string, object?>();
        var addGenerationPrompt = !testCase.TryGetProperty("add_generation_prompt", out var add) || add.GetBoolean();

        var template = ChatTemplate.Compile(source, root.GetProperty("bos_token").GetString()!, root.GetProperty("eos_token").GetString()!);
        var rendered = template.Render(new ChatTemplateInput(messages, tools, addGenerationPrompt, extra), root.GetProperty("now").GetDateTimeOffset());

        var expected = File.ReadAllText(Path.Combine(Fixtures, "expected", caseName + ".txt"));
        Assert.Equal(expected, rendered);
    }

    private static string CaseName(JsonElement c)
    {
        var name = c.GetProperty("template").GetString() + "." + c.GetProperty("conversation").GetString();
        if (c.TryGetProperty("kwargs", out var kwargs))
        {
            foreach (var p in kwargs.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                name += $".{p.Name}={p.Value.ToString().ToLowerInvariant()}";
            }
        }
        if (c.TryGetProperty("add_generation_prompt", out var add) && !add.GetBoolean())
        {
            name += ".no-generation-prompt";
        }
        return name;
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
