using System.CommandLine;

namespace ModelSwap.Cli.Commands;

/// <summary>Options shared by the verbs that talk to a running service.</summary>
internal static class ServiceOptions
{
    public const string DefaultUrl = "http://127.0.0.1:8091";

    /// <summary>`--url`; left out, the verb resolves the URL by <see cref="ServiceUrl"/>'s rule.</summary>
    public static Option<Uri?> Url() => OptionalUrl(
        $"Base URL of the running ModelSwap service (default: ${ServiceUrl.Variable}, else the service `start` recorded, else {DefaultUrl}).");

    /// <summary>`--url` with no default (the caller picks one when it is left out).</summary>
    public static Option<Uri?> OptionalUrl(string description) => new("--url")
    {
        Description = description,
        CustomParser = result => result.Tokens.Count == 0 ? null : ParseUrl(result),
    };

    private static Uri? ParseUrl(System.CommandLine.Parsing.ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : DefaultUrl;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return uri;
        }
        result.AddError($"--url '{text}' is not an http(s) URL such as {DefaultUrl}");
        return null;
    }

    /// <summary>`--format table|json` of every listing verb: json is the data for scripts, table for people.</summary>
    public static Option<string> Format()
    {
        var format = new Option<string>("--format")
        {
            Description = "Output format: table or json.",
            DefaultValueFactory = _ => "table",
        };
        format.AcceptOnlyFromAmong("table", "json");
        return format;
    }

    /// <summary>
    /// A client for the service; short timeouts, since these verbs only ask for status. When the
    /// service wants a key, the first of MODELSWAP_API_KEYS (the variable the service reads) is sent.
    /// </summary>
    public static HttpClient Client(Uri url, TimeSpan? timeout = null)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseProxy = false })
        {
            BaseAddress = url,
            Timeout = timeout ?? TimeSpan.FromSeconds(10),
        };
        if (ApiKey() is { } key)
        {
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }
        return client;
    }

    private static string? ApiKey() =>
        Environment.GetEnvironmentVariable("MODELSWAP_API_KEYS")?
            .Split([',', ' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault();
}
