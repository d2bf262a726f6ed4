using System.Net;
using System.Net.Http.Headers;
using ModelSwap.Testing.HuggingFace;

namespace ModelSwap.Hub.Tests.HuggingFace;

/// <summary>The mirror's plain file endpoint honours Range like a real file server.</summary>
public sealed class MirrorFileEndpointTests : HubTestBase
{
    [Fact]
    public async Task Plain_file_endpoint_serves_ranges()
    {
        var file = AddModel("org/M-GGUF", "M-Q4_0.gguf", 10_000);
        var bytes = MirrorFile.RandomGguf(10_000, 1);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Mirror.FileUrl("org/M-GGUF", file.Path));
        request.Headers.Range = new RangeHeaderValue(9_000, null);

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal("bytes 9000-9999/10000", response.Content.Headers.ContentRange!.ToString());
        Assert.Equal(bytes[9_000..], body);
    }
}
