using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Http;

namespace ModelSwap.Gateway.Hosting;

/// <summary>
/// Headers on /health that tell a ModelSwap apart from any other server on the port, and say which
/// process answers, which version, and since when (`modelswap start` and `status` read them).
/// </summary>
internal static class ServiceIdentity
{
    public const string PidHeader = "X-ModelSwap-Pid";
    public const string VersionHeader = "X-ModelSwap-Version";
    public const string StartedHeader = "X-ModelSwap-Started";

    private static readonly string Pid = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
    private static readonly string Started = new DateTimeOffset(Process.GetCurrentProcess().StartTime.ToUniversalTime()).ToString("O", CultureInfo.InvariantCulture);

    public static string Version { get; } = (Assembly.GetEntryAssembly() ?? typeof(ServiceIdentity).Assembly)
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public static void Write(HttpResponse response)
    {
        response.Headers[PidHeader] = Pid;
        response.Headers[VersionHeader] = Version;
        response.Headers[StartedHeader] = Started;
    }
}
