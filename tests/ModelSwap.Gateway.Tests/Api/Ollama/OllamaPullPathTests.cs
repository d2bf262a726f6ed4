using ModelSwap.Gateway.Api.Ollama;
using ModelSwap.Gateway.Management;

namespace ModelSwap.Gateway.Tests.Api.Ollama;

/// <summary>
/// Ollama's /api/pull takes the one download path every face takes (<see cref="IModelHub"/>): not one
/// type of the Hub assembly (its DownloadManager, its client, its progress records) is named by the
/// Ollama endpoints' compiled code, so their plans, errors and progress cannot drift from the API's.
/// </summary>
public sealed class OllamaPullPathTests
{
    private static readonly Type[] OllamaTypes = typeof(OllamaPull).Assembly.GetTypes()
        .Where(t => t.Namespace == typeof(OllamaPull).Namespace)
        .ToArray();

    [Fact]
    public void The_ollama_endpoints_name_no_hub_assembly_type()
    {
        var hub = typeof(Hub.Downloads.DownloadManager).Assembly;
        var reached = OllamaTypes
            .SelectMany(t => IlReferences.TypesNamedBy(t).Where(named => named.Assembly == hub).Select(named => $"{t.FullName} -> {named.FullName}"))
            .Distinct()
            .ToList();
        Assert.Empty(reached);
    }

    [Fact]
    public void The_pull_follows_its_download_through_IModelHub()
    {
        // Proves the scan sees into the pull's async body (a compiler-made nested type), not just its signature.
        var named = OllamaTypes.Where(t => t == typeof(OllamaPull) || t.DeclaringType == typeof(OllamaPull)).SelectMany(IlReferences.TypesNamedBy).ToHashSet();
        Assert.Contains(typeof(IModelHub), named);
        Assert.Contains(typeof(DownloadView), named);
        Assert.Contains(typeof(System.Threading.Channels.Channel), named);
    }
}
