using ModelSwap.Engine.Templates;

namespace ModelSwap.Engine.Tests.Templates;

/// <summary>Constructs the family templates use, each against the text Jinja2 (as Hugging Face configures it) gives.</summary>
public sealed class JinjaTemplateTests
{
    private static string Render(string source, Dictionary<string, object?>? variables = null) =>
        JinjaTemplate.Parse(source).Render(variables ?? [], new DateTimeOffset(2024, 7, 26, 0, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData("{% if true %}\n  x\n{% endif %}\n", "  x\n")]          // trim_blocks after %}, lstrip before {%
    [InlineData("a  {%- if true -%}  b  {%- endif -%}  c", "abc")]
    [InlineData("{# note #}\nx", "x")]
    [InlineData("{{ 'a' ~ 1 ~ none }}", "a1None")]
    [InlineData("{{ [1, 2, 3][::-1] }}|{{ 'hello'[1:3] }}|{{ [1,2,3][-1] }}", "[3, 2, 1]|el|3")]
    [InlineData("{% for x in [1,2,3,4] if x is even %}{{ loop.index }}/{{ loop.length }}{{ ',' if not loop.last }}{% endfor %}", "1/2,2/2")]
    [InlineData("{% for x in [1,2,3] %}{% if x == 2 %}{% continue %}{% endif %}{% if x == 3 %}{% break %}{% endif %}{{ x }}{% endfor %}", "1")]
    [InlineData("{% set ns = namespace(n=0) %}{% for x in [1,2] %}{% set ns.n = ns.n + x %}{% set local = 5 %}{% endfor %}{{ ns.n }}{{ local is defined }}", "3False")]
    [InlineData("{% macro greet(name, punct='!') %}Hi {{ name }}{{ punct }}{% endmacro %}{{ greet('Bo') }} {{ greet('Al', punct='?') }}", "Hi Bo! Hi Al?")]
    [InlineData("{{ {'b': 1, 'a': [true, none, 1.5, 'é\"']} | tojson }}", "{\"b\": 1, \"a\": [true, null, 1.5, \"é\\\"\"]}")]
    [InlineData("{{ {'a': {'b': 1}} | tojson(indent=2) }}", "{\n  \"a\": {\n    \"b\": 1\n  }\n}")]
    [InlineData("{% for k, v in {'x': 1, 'y': 2} | items %}{{ k }}={{ v }};{% endfor %}", "x=1;y=2;")]
    [InlineData("{{ '  pad  ' | trim }}|{{ 'A-b'.lower() }}|{{ 'a,b'.split(',') | length }}|{{ 'abc'.startswith('ab') }}", "pad|a-b|2|True")]
    [InlineData("{{ [{'r': 'u'}, {'r': 'a'}, {'r': 'u'}] | selectattr('r', 'equalto', 'u') | list | length }}", "2")]
    [InlineData("{{ x is not defined and y is none }}", "True")]
    [InlineData("{{ strftime_now('%d %b %Y') }}", "26 Jul 2024")]
    [InlineData("{% set x %}in{{ 1 + 1 }}{% endset %}[{{ x }}]", "[in2]")]
    [InlineData("{{ 7 // 2 }} {{ 7 / 2 }} {{ -7 % 3 }} {{ 2 ** 3 }}", "3 3.5 2 8")]
    public void Renders_like_jinja2(string source, string expected)
    {
        Assert.Equal(expected, Render(source, new Dictionary<string, object?> { ["y"] = null }));
    }

    [Fact]
    public void Raise_exception_carries_the_template_message()
    {
        var error = Assert.Throws<JinjaException>(() => Render("{{ raise_exception('roles must alternate') }}"));
        Assert.True(error.RaisedByTemplate);
        Assert.Equal("roles must alternate", error.Message);
    }

    [Theory]
    [InlineData("{% if x %}", "endif")]
    [InlineData("{{ 'open }}", "not closed")]
    [InlineData("{% call foo() %}{% endcall %}", "'call' tag is not supported")]
    public void Syntax_errors_say_what_and_where(string source, string expected)
    {
        var error = Assert.Throws<JinjaException>(() => JinjaTemplate.Parse(source));
        Assert.Contains(expected, error.Message);
        Assert.False(error.RaisedByTemplate);
    }

    [Fact]
    public void Runaway_macro_recursion_is_an_error_not_a_crash()
    {
        var error = Assert.Throws<JinjaException>(() => Render("{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}"));
        Assert.Contains("recursed", error.Message);
    }
}
