namespace ModelSwap.Hub.HuggingFace;

/// <summary>
/// What a user asked to pull: "owner/repo", "owner/repo:Q4_K_M", "owner/repo/sub/file.gguf", Ollama's
/// "hf.co/owner/repo:Q4_K_M", or a Hub URL (…/owner/repo, …/blob/main/file.gguf, …/resolve/main/file.gguf).
/// </summary>
public sealed record ModelReference(string Repo, string? Quantization, string? FilePath, string Revision = "main")
{
    public static ModelReference Parse(string text, string? revision = null)
    {
        if (!TryParse(text, revision, out var reference, out var error))
        {
            throw new ArgumentException(error);
        }
        return reference;
    }

    public static bool TryParse(string? text, string? revision, out ModelReference reference, out string error)
    {
        reference = null!;
        var input = text?.Trim() ?? "";
        if (input.Length == 0)
        {
            error = "Model reference is empty: expected owner/repo[:QUANT] or owner/repo/FILE.gguf.";
            return false;
        }
        var rest = StripHost(input);
        var effectiveRevision = revision;
        // Web URLs carry the revision: owner/repo/blob/REV/file or owner/repo/resolve/REV/file.
        var segments = rest.Split('/');
        if (segments.Length >= 4 && segments[2] is "blob" or "resolve" or "tree")
        {
            effectiveRevision ??= segments[3];
            rest = $"{segments[0]}/{segments[1]}" + (segments.Length > 4 ? "/" + string.Join('/', segments.Skip(4)) : "");
            segments = rest.Split('/');
        }
        effectiveRevision ??= "main";
        if (segments.Length < 2)
        {
            error = $"'{input}' is not a model reference: expected owner/repo[:QUANT] or owner/repo/FILE.gguf.";
            return false;
        }
        string? quant = null;
        string? file = null;
        string repo;
        if (segments.Length == 2)
        {
            var colon = segments[1].IndexOf(':');
            if (colon >= 0)
            {
                quant = segments[1][(colon + 1)..];
                segments[1] = segments[1][..colon];
                if (quant.Length == 0 || quant.Equals("latest", StringComparison.OrdinalIgnoreCase))
                {
                    quant = null;
                }
            }
            repo = $"{segments[0]}/{segments[1]}";
        }
        else
        {
            repo = $"{segments[0]}/{segments[1]}";
            file = string.Join('/', segments.Skip(2));
            if (!GgufFileNames.IsGguf(file))
            {
                error = $"'{input}': a file to pull must be a .gguf file (got '{file}').";
                return false;
            }
            if (!HubNames.IsSafeFilePath(file, out var reason))
            {
                error = $"'{input}': invalid file path '{file}': {reason}.";
                return false;
            }
        }
        if (!HubNames.IsValidRepo(repo))
        {
            error = $"'{input}': invalid repo id '{repo}': expected owner/name with letters, digits, '-', '_' and '.'.";
            return false;
        }
        if (quant is not null && !IsQuantText(quant))
        {
            error = $"'{input}': invalid quantization '{quant}': expected a name like Q4_K_M, IQ4_XS, Q8_0 or F16.";
            return false;
        }
        try
        {
            HubNames.ValidateRevision(effectiveRevision);
        }
        catch (ArgumentException e)
        {
            error = e.Message;
            return false;
        }
        reference = new ModelReference(repo, quant, file, effectiveRevision);
        error = "";
        return true;
    }

    public override string ToString() =>
        FilePath is not null ? $"{Repo}/{FilePath}" : Quantization is not null ? $"{Repo}:{Quantization}" : Repo;

    private static string StripHost(string input)
    {
        var rest = input;
        foreach (var prefix in new[] { "https://", "http://" })
        {
            if (rest.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                rest = rest[prefix.Length..];
                var slash = rest.IndexOf('/');
                return slash < 0 ? "" : StripQuery(rest[(slash + 1)..]);
            }
        }
        foreach (var host in new[] { "hf.co/", "huggingface.co/", "www.huggingface.co/" })
        {
            if (rest.StartsWith(host, StringComparison.OrdinalIgnoreCase))
            {
                return rest[host.Length..];
            }
        }
        return rest;
    }

    private static string StripQuery(string path)
    {
        var q = path.IndexOfAny(['?', '#']);
        return (q < 0 ? path : path[..q]).TrimEnd('/');
    }

    private static bool IsQuantText(string quant) =>
        quant.Length <= 40 && quant.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');
}
