using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace ModelSwap.Dashboard.Tests.Components;

/// <summary>A bUnit context with MudBlazor's services; MudBlazor's JS calls are answered loosely (no browser here).</summary>
public abstract class DashboardComponentTest : BunitContext, IAsyncLifetime
{
    protected DashboardComponentTest()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // MudBlazor's services are only IAsyncDisposable: the container must be disposed asynchronously.
    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();
}
