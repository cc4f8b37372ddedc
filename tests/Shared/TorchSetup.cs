using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using A3.Runtime.Native;

namespace A3.Tests;

/// <summary>Makes the test assembly safe to touch TorchSharp before any A3.Runtime type.</summary>
internal static class TorchSetup
{
    /// <summary>Installs A3.Runtime's TorchSharp resolver when the test assembly loads.</summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries", Justification = "A test assembly: tests run in any order and may use torch first.")]
    internal static void Initialize() => TorchNative.InstallResolver();
}
