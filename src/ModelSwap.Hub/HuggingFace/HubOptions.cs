namespace ModelSwap.Hub.HuggingFace;

/// <summary>
/// Where the Hugging Face Hub is and who we are to it. The token is never printed: <see cref="ToString"/>
/// only says whether one is set, so the options can be logged or shown in errors safely.
/// </summary>
public sealed class HubOptions
{
    public static readonly Uri DefaultEndpoint = new("https://huggingface.co/");

    public HubOptions(Uri? endpoint = null, string? token = null)
    {
        var chosen = endpoint ?? DefaultEndpoint;
        if (!chosen.IsAbsoluteUri || (chosen.Scheme != Uri.UriSchemeHttp && chosen.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"Hub endpoint must be an absolute http(s) URL, got '{chosen}'.", nameof(endpoint));
        }
        // A trailing slash makes relative resolution keep any path prefix a mirror has (https://mirror/hf/).
        Endpoint = chosen.AbsoluteUri.EndsWith('/') ? chosen : new Uri(chosen.AbsoluteUri + "/");
        Token = string.IsNullOrWhiteSpace(token) ? null : token.Trim();
    }

    /// <summary>Base URL of the Hub (always ends with '/').</summary>
    public Uri Endpoint { get; }

    /// <summary>Bearer token, or null. Sent only to <see cref="Endpoint"/>'s host.</summary>
    public string? Token { get; }

    public bool HasToken => Token is not null;

    /// <summary>First wait before retrying a 429/5xx answer; doubles per attempt (with jitter).</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many times a 429/5xx/transport failure is retried before giving up.</summary>
    public int MaxRetryAttempts { get; init; } = 4;

    /// <summary>Per-request timeout for API calls (search, file lists). Downloads use a stall timeout instead.</summary>
    public TimeSpan ApiTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Reads HF_ENDPOINT and the token the way huggingface_hub does: HF_TOKEN, then the token file
    /// ($HF_HOME/token, else ~/.cache/huggingface/token). <paramref name="getEnvironment"/> exists for tests.
    /// </summary>
    public static HubOptions FromEnvironment(Func<string, string?>? getEnvironment = null)
    {
        var env = getEnvironment ?? Environment.GetEnvironmentVariable;
        Uri? endpoint = null;
        var endpointText = env("HF_ENDPOINT");
        if (!string.IsNullOrWhiteSpace(endpointText))
        {
            if (!Uri.TryCreate(endpointText.Trim(), UriKind.Absolute, out endpoint))
            {
                throw new ArgumentException($"HF_ENDPOINT is not an absolute URL: '{endpointText}'.");
            }
        }
        return new HubOptions(endpoint, ReadToken(env));
    }

    private static string? ReadToken(Func<string, string?> env)
    {
        foreach (var name in new[] { "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN" })
        {
            var value = env(name);
            if (!string.IsNullOrWhiteSpace(value))
            {
                return value.Trim();
            }
        }
        var tokenPath = env("HF_TOKEN_PATH");
        if (string.IsNullOrWhiteSpace(tokenPath))
        {
            var hfHome = env("HF_HOME");
            if (string.IsNullOrWhiteSpace(hfHome))
            {
                var home = env("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
                var xdgCache = env("XDG_CACHE_HOME");
                hfHome = Path.Combine(string.IsNullOrWhiteSpace(xdgCache) ? Path.Combine(home, ".cache") : xdgCache, "huggingface");
            }
            tokenPath = Path.Combine(hfHome, "token");
        }
        try
        {
            if (File.Exists(tokenPath))
            {
                var text = File.ReadAllText(tokenPath).Trim();
                return text.Length == 0 ? null : text;
            }
        }
        catch (IOException)
        {
            // An unreadable token file means anonymous access, the same as no file; gated repos then say so.
        }
        catch (UnauthorizedAccessException)
        {
        }
        return null;
    }

    public override string ToString() => $"HubOptions {{ Endpoint = {Endpoint}, Token = {(HasToken ? "(set)" : "(none)")} }}";
}
