using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using A3.Runtime.Native;

namespace A3.Tests;

/// <summary>Loads the native backend once, before any test runs.</summary>
internal static class TorchSetup
{
    /// <summary>
    /// Finishes loading (and, where needed, patching) libtorch when the test assembly loads, so that
    /// no test depends on which parallel test class touches TorchSharp first: TorchSharp's static
    /// constructor fails for the whole process if it ever runs its own loader on Debian 12.
    /// </summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries", Justification = "A test assembly: tests run in parallel and in any order.")]
    internal static void Initialize() => TorchNative.EnsureLoaded();
}
