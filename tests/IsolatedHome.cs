using System.Runtime.CompilerServices;

// Compiled into every test project (tests/Directory.Build.props). Not in a namespace of a project:
// one copy per test assembly, internal to it.
namespace ModelSwap.Tests.Isolation;

/// <summary>
/// Gives the test process a MODELSWAP_HOME of its own before any test runs, so nothing in process
/// (an in-process gateway's inventory scan, models.yaml, the service record) reads or writes the
/// developer's ~/.modelswap, and test projects running side by side never share one. The service
/// URL and keys of the developer's shell are dropped for the same reason.
/// </summary>
internal static class IsolatedHome
{
#pragma warning disable CA2255 // A module initializer is the one hook that runs before every test of the assembly.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Isolate()
    {
        var home = Directory.CreateTempSubdirectory("modelswap-test-home-").FullName;
        Environment.SetEnvironmentVariable("MODELSWAP_HOME", home);
        Environment.SetEnvironmentVariable("MODELSWAP_URL", null);
        Environment.SetEnvironmentVariable("MODELSWAP_API_KEYS", null);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(home, recursive: true);
            }
            catch (IOException)
            {
            }
        };
    }
}
