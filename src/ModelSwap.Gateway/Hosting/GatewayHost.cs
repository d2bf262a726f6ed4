using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelSwap.Gateway.Api;
using ModelSwap.Gateway.Api.Ollama;

namespace ModelSwap.Gateway.Hosting;

/// <summary>Builds the gateway web application: Kestrel on the configured endpoint, every route mapped.</summary>
internal static class GatewayHost
{
    /// <param name="configureServices">Tests replace services here (e.g. the process factory or time).</param>
    public static WebApplication Build(GatewayHostOptions options, Action<IServiceCollection>? configureServices = null,
        Action<ILoggingBuilder>? configureLogging = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(options.Listen);
            kestrel.AddServerHeader = false;
            // The body limit is set per request from the running config (RequestLimits), so a reload applies it.
            kestrel.Limits.MaxRequestBodySize = null;
            // Slow clients (slowloris) get 408: headers within 30 s, bodies at 240 bytes/s after a 5 s grace.
            kestrel.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(30);
            kestrel.Limits.MinRequestBodyDataRate = new Microsoft.AspNetCore.Server.Kestrel.Core.MinDataRate(240, TimeSpan.FromSeconds(5));
        });
        builder.Logging.SetMinimumLevel(ToLogLevel(options.Config.LogLevel));
        // Per-request Information logs from YARP and ASP.NET halve throughput; keep them to warnings.
        builder.Logging.AddFilter("Yarp", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
        configureLogging?.Invoke(builder.Logging);
        builder.Services.AddModelSwapGateway(options);
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(host =>
            // The grace for requests in flight, then the models' own stop, then a margin: never cut short.
            host.ShutdownTimeout = options.ShutdownGrace + options.Config.UnloadTimeout + TimeSpan.FromSeconds(10));
        configureServices?.Invoke(builder.Services);

        var app = builder.Build();
        // Every failure an endpoint lets escape answers in the OpenAI envelope (ApiExceptionHandler, ErrorMapping),
        // or in Ollama's shape on Ollama's routes.
        app.UseExceptionHandler();
        // Errors the framework answers itself (no route: 404, wrong method: 405) get the OpenAI
        // envelope too, never an empty body. Forwarded responses opt out (see ModelForwarder).
        app.UseStatusCodePages(async context =>
        {
            var http = context.HttpContext;
            var status = http.Response.StatusCode;
            var message = status switch
            {
                404 => $"no route {http.Request.Method} {http.Request.Path}; the OpenAI API is under /v1 (GET /v1/models lists the models)",
                405 => $"{http.Request.Method} is not allowed on {http.Request.Path}",
                _ => $"request failed with HTTP {status}",
            };
            await Routing.OpenAiErrors.WriteAsync(http, status, message, Core.OpenAi.OpenAiErrorTypes.InvalidRequest,
                status switch { 404 => "not_found", 405 => "method_not_allowed", _ => "http_" + status }).ConfigureAwait(false);
        });
        app.UseModelSwapSecurity();
        app.MapSessionEndpoints();
        app.MapInferenceEndpoints();
        app.MapModelListEndpoints();
        app.MapLlamaSwapEndpoints();
        app.MapManagementEndpoints();
        app.MapSettingsEndpoints();
        app.MapHubEndpoints();
        app.MapDownloadEndpoints();
        app.MapEventEndpoints();
        app.MapMetricsEndpoints();
        app.MapOllamaEndpoints();
        app.MapRequestEndpoints();
        app.MapActivityEndpoints();
        app.MapOpenApi();
        return app;
    }

    private static LogLevel ToLogLevel(string level) => level switch
    {
        "debug" => LogLevel.Debug,
        "warn" => LogLevel.Warning,
        "error" => LogLevel.Error,
        _ => LogLevel.Information,
    };
}
