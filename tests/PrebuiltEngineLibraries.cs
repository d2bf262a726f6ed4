using System.Runtime.CompilerServices;

// Compiled into every test project (tests/Directory.Build.props), beside IsolatedHome.cs.
namespace ModelSwap.Tests.Isolation;

/// <summary>
/// Makes every engine a test process starts run LLamaSharp.Backend.Cpu's prebuilt llama.cpp libraries:
/// the in-process engines of ModelSwap.Engine.Tests, and (inherited through the environment) every
/// `modelswap engine` child, including those `modelswap serve` starts in the Cli, Gateway and LlamaServer
/// tests. Without this the engine picks the build of scripts/build-engine-natives.sh when
/// ~/.cache/modelswap/engine-natives/current exists, so the same suite ran other code on a developer's
/// machine than on a fresh one.
/// Why the prebuilt set rather than the build: it is what every machine runs until someone builds the
/// libraries (a fresh install, any user who never ran the script), and it needs nothing beyond the NuGet
/// package, so a failed or missing build cannot fail hundreds of unrelated tests. The build, with its
/// patched struct layouts, is tested where it is named: ModelSwap.Engine.Tests' LibrarySetTests run the
/// engine on both sets with an explicit --native-dir (which wins over this variable), and scripts/test.sh
/// builds the libraries so CI runs them too.
/// </summary>
internal static class PrebuiltEngineLibraries
{
#pragma warning disable CA2255 // A module initializer is the one hook that runs before every test of the assembly.
    [ModuleInitializer]
#pragma warning restore CA2255
    // The value NativeLibraries.Prebuilt understands; a literal because not every test project references the engine.
    internal static void Choose() => Environment.SetEnvironmentVariable("MODELSWAP_ENGINE_NATIVES", "prebuilt");
}
