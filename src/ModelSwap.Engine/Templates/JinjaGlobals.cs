using System.Globalization;
using System.Text;

namespace ModelSwap.Engine.Templates;

/// <summary>The functions every template may call: Jinja's range/namespace/dict and Hugging Face's raise_exception and strftime_now.</summary>
internal static class JinjaGlobals
{
    public static void AddTo(JinjaScope scope)
    {
        scope.Set("range", (JinjaCallable)Range);
        scope.Set("namespace", (JinjaCallable)((_, args, kwargs) =>
        {
            var ns = new JinjaNamespace();
            if (args.Count > 0 && args[0] is Dictionary<string, object?> initial)
            {
                foreach (var (key, value) in initial)
                {
                    ns.Values[key] = value;
                }
            }
            foreach (var (key, value) in kwargs)
            {
                ns.Values[key] = value;
            }
            return ns;
        }));
        scope.Set("dict", (JinjaCallable)((_, _, kwargs) => new Dictionary<string, object?>(kwargs, StringComparer.Ordinal)));
        scope.Set("raise_exception", (JinjaCallable)((_, args, _) =>
            throw new JinjaException(args.Count > 0 ? JinjaValues.ToText(args[0]) : "the chat template raised an error", raisedByTemplate: true)));
        scope.Set("strftime_now", (JinjaCallable)((context, args, _) =>
            Strftime(context.Now, args.Count > 0 && args[0] is string format ? format : "%Y-%m-%d")));
    }

    private static object? Range(JinjaContext context, IReadOnlyList<object?> args, IReadOnlyDictionary<string, object?> kwargs)
    {
        var (start, stop, step) = args.Count switch
        {
            1 => (0L, JinjaValues.ToLong(args[0]), 1L),
            2 => (JinjaValues.ToLong(args[0]), JinjaValues.ToLong(args[1]), 1L),
            3 => (JinjaValues.ToLong(args[0]), JinjaValues.ToLong(args[1]), JinjaValues.ToLong(args[2])),
            _ => throw new JinjaException("range takes 1 to 3 arguments"),
        };
        if (step == 0)
        {
            throw new JinjaException("range step cannot be zero");
        }
        var values = new List<object?>();
        for (var i = start; step > 0 ? i < stop : i > stop; i += step)
        {
            values.Add(i);
            if (values.Count > 100_000)
            {
                throw new JinjaException("range is too long");
            }
        }
        return values;
    }

    /// <summary>The strftime directives date-stamping templates use (Llama 3.x, gpt-oss): %d %m %Y %y %b %B %a %A %H %M %S %j %p %%.</summary>
    public static string Strftime(DateTimeOffset time, string format)
    {
        var result = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                result.Append(format[i]);
                continue;
            }
            var spec = format[++i];
            result.Append(spec switch
            {
                'd' => time.ToString("dd", CultureInfo.InvariantCulture),
                'm' => time.ToString("MM", CultureInfo.InvariantCulture),
                'Y' => time.ToString("yyyy", CultureInfo.InvariantCulture),
                'y' => time.ToString("yy", CultureInfo.InvariantCulture),
                'b' => time.ToString("MMM", CultureInfo.InvariantCulture),
                'B' => time.ToString("MMMM", CultureInfo.InvariantCulture),
                'a' => time.ToString("ddd", CultureInfo.InvariantCulture),
                'A' => time.ToString("dddd", CultureInfo.InvariantCulture),
                'H' => time.ToString("HH", CultureInfo.InvariantCulture),
                'I' => time.ToString("hh", CultureInfo.InvariantCulture),
                'M' => time.ToString("mm", CultureInfo.InvariantCulture),
                'S' => time.ToString("ss", CultureInfo.InvariantCulture),
                'p' => time.ToString("tt", CultureInfo.InvariantCulture),
                'j' => time.DayOfYear.ToString("000", CultureInfo.InvariantCulture),
                '%' => "%",
                _ => "%" + spec,
            });
        }
        return result.ToString();
    }
}
