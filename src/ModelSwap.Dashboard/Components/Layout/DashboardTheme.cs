using MudBlazor;

namespace ModelSwap.Dashboard.Components.Layout;

/// <summary>The dashboard's theme: MudBlazor's palettes with system fonts (no web font is fetched).</summary>
internal static class DashboardTheme
{
    private static readonly string[] SystemFonts =
        ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"];

    public static MudTheme Theme { get; } = new()
    {
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = SystemFonts },
        },
        LayoutProperties = new LayoutProperties { DrawerWidthLeft = "220px" },
    };
}
