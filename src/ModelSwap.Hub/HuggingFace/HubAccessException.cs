namespace ModelSwap.Hub.HuggingFace;

/// <summary>401/403 from the Hub: a gated or private repo the current token (or no token) cannot read.</summary>
public sealed class HubAccessException : HubException
{
    public HubAccessException(string repo, int statusCode, bool tokenWasSent, Uri modelPage)
        : base(BuildMessage(repo, statusCode, tokenWasSent, modelPage), statusCode)
    {
        Repo = repo;
        TokenWasSent = tokenWasSent;
        ModelPage = modelPage;
    }

    public string Repo { get; }

    public bool TokenWasSent { get; }

    public Uri ModelPage { get; }

    private static string BuildMessage(string repo, int statusCode, bool tokenWasSent, Uri modelPage) => tokenWasSent
        ? $"Access to {repo} was refused (HTTP {statusCode}): the token in HF_TOKEN has no access to this gated model. "
          + $"Open {modelPage} while signed in with that token's account, accept the licence, then try again."
        : $"{repo} is a gated model (HTTP {statusCode}). Open {modelPage}, sign in and accept the licence, "
          + "then create a read token at https://huggingface.co/settings/tokens and set HF_TOKEN=<token> "
          + "(or save it to ~/.cache/huggingface/token), then try again.";
}
