namespace ModelSwap.Cli.Commands;

/// <summary>
/// The one rule for which service a verb talks to, used by every verb that talks to one: <c>--url</c>,
/// else <c>MODELSWAP_URL</c>, else the service <c>modelswap start</c> recorded in MODELSWAP_HOME (while
/// it runs), else <see cref="ServiceOptions.DefaultUrl"/>. <see cref="Source"/> says which, so a verb
/// can tell the user where it looked.
/// </summary>
internal sealed record ServiceUrl(Uri Url, string Source)
{
    public const string Variable = "MODELSWAP_URL";

    /// <summary>The URL to use; null (after an error on <paramref name="error"/>) when MODELSWAP_URL is not an http(s) URL.</summary>
    public static ServiceUrl? Resolve(Uri? option, TextWriter error, Func<string, string?>? environment = null, ServiceHome? home = null)
    {
        if (option is not null)
        {
            return new ServiceUrl(option, "--url");
        }
        if ((environment ?? Environment.GetEnvironmentVariable)(Variable) is { Length: > 0 } text)
        {
            if (Uri.TryCreate(text, UriKind.Absolute, out var fromEnvironment) && fromEnvironment.Scheme is "http" or "https")
            {
                return new ServiceUrl(fromEnvironment, Variable);
            }
            error.WriteLine($"error: {Variable}='{text}' is not an http(s) URL such as {ServiceOptions.DefaultUrl}");
            return null;
        }
        if ((home ?? ServiceHome.FromEnvironment()).Read() is { } state && ServiceHome.IsModelSwap(state.Pid)
            && Uri.TryCreate(state.Url, UriKind.Absolute, out var recorded))
        {
            return new ServiceUrl(recorded, $"the service started with `modelswap start` (pid {state.Pid})");
        }
        return new ServiceUrl(new Uri(ServiceOptions.DefaultUrl), "the default");
    }

    /// <summary>"http://127.0.0.1:8095 (from MODELSWAP_URL)", for messages.</summary>
    public override string ToString() => $"{Url.AbsoluteUri.TrimEnd('/')} (from {Source})";
}
