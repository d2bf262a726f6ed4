using System.Net;

namespace ModelSwap.Hub.HuggingFace;

/// <summary>Turns a failed Hub answer into an exception whose message tells the user what to do.</summary>
internal static class HubErrors
{
    public static HubException FromResponse(HubResponse response, string repo, string what, Uri endpoint)
    {
        var status = (int)response.Message.StatusCode;
        var code = RedirectTrail.Header(response.Message, "X-Error-Code");
        var serverMessage = RedirectTrail.Header(response.Message, "X-Error-Message");
        var suffix = serverMessage is null ? "" : $" The Hub said: {Truncate(serverMessage)}";
        var modelPage = new Uri(endpoint, repo);
        switch (response.Message.StatusCode)
        {
            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden when code == "RepoNotFound":
            case HttpStatusCode.NotFound when code is null or "RepoNotFound":
                return new HubException(
                    $"Repository {repo} was not found on {endpoint.Authority}"
                    + (response.TokenSent ? "." : " (if it is private, set HF_TOKEN to a token that can read it).") + suffix, status);
            case HttpStatusCode.NotFound when code == "RevisionNotFound":
                return new HubException($"Revision not found in {repo} while fetching {what}.{suffix}", status);
            case HttpStatusCode.NotFound:
                return new HubException($"{what} was not found in {repo}.{suffix}", status);
            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                return new HubAccessException(repo, status, response.TokenSent, modelPage);
            case HttpStatusCode.TooManyRequests:
                return new HubException($"The Hub is rate limiting us (HTTP 429) while fetching {what}; retries gave up. Wait a minute and try again.", status);
            default:
                return new HubException($"The Hub answered HTTP {status} while fetching {what} of {repo}.{suffix}", status);
        }
    }

    private static string Truncate(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
