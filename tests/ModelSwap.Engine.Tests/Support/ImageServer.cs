using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ModelSwap.Engine.Tests.Support;

/// <summary>
/// A real HTTP server on 127.0.0.1 (port 0) serving what image URLs may point at: an image (as
/// image/png, and as application/octet-stream), a redirect to it, a 404, an HTML page and a body larger
/// than the engine's cap (with and without Content-Length), and one that never answers until disposed.
/// </summary>
public sealed class ImageServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private static readonly TaskCompletionSource Never = new();

    private ImageServer(WebApplication app, byte[] image)
    {
        _app = app;
        Image = image;
        BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }

    public string BaseUrl { get; }

    /// <summary>The PNG served at /cat.png.</summary>
    public byte[] Image { get; }

    public string Url(string path) => BaseUrl + path;

    /// <summary>Completes once a request for /slow.png has arrived (it then hangs until the client gives up).</summary>
    public TaskCompletionSource SlowRequested { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static async Task<ImageServer> StartAsync(byte[] image, int oversizedBytes)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        ImageServer? server = null;
        app.MapGet("/cat.png", () => Results.Bytes(image, "image/png"));
        app.MapGet("/download", () => Results.Bytes(image, "application/octet-stream"));
        app.MapGet("/moved.png", () => Results.Redirect("/cat.png"));
        app.MapGet("/missing.png", () => Results.NotFound());
        app.MapGet("/page.html", () => Results.Content("<html><body>not an image</body></html>", "text/html"));
        app.MapGet("/slow.png", async (HttpContext context) =>
        {
            server!.SlowRequested.TrySetResult();
            await Never.Task.WaitAsync(context.RequestAborted);
        });
        app.MapGet("/huge.png", () => Results.Bytes(Oversized(image, oversizedBytes), "image/png"));
        app.MapGet("/huge-chunked.png", async (HttpContext context) =>
        {
            // No Content-Length: the engine must stop reading once the body passes its cap.
            context.Response.ContentType = "image/png";
            await context.Response.Body.WriteAsync(image);
            var block = new byte[64 * 1024];
            for (var written = image.Length; written < oversizedBytes && !context.RequestAborted.IsCancellationRequested; written += block.Length)
                await context.Response.Body.WriteAsync(block, context.RequestAborted);
        });
        await app.StartAsync();
        server = new ImageServer(app, image);
        return server;
    }

    private static byte[] Oversized(byte[] image, int size)
    {
        var body = new byte[size];
        image.CopyTo(body, 0);
        return body;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
