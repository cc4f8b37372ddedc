using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using A3.Runtime.Native;

namespace A3.Tests;

/// <summary>Loads the native backend once, before any test runs.</summary>
internal static class TorchSetup
{
    /// <summary>
    /// A test may touch TorchSharp (for example <c>torch.CPU</c>) before any A3.Runtime type, and
    /// TorchSharp's static constructor fails for the whole process if it runs first on a system that
    /// needs the patched library; loading here makes test order irrelevant.
    /// </summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries", Justification = "A test assembly: tests run in parallel and in any order.")]
    internal static void Initialize() => TorchNative.EnsureLoaded();
}
