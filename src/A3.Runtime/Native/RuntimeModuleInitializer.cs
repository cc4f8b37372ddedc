using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace A3.Runtime.Native;

/// <summary>Runs when A3.Runtime loads.</summary>
internal static class RuntimeModuleInitializer
{
    /// <summary>
    /// Installs the TorchSharp import resolver as early as possible: TorchSharp's static
    /// constructor fails for good if its own loader runs first on a system that needs the patch.
    /// Installing the resolver is cheap and loads nothing.
    /// </summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries", Justification = "Only registers a resolver; without it, the first TorchSharp call could break TorchSharp for the whole process.")]
    internal static void Initialize() => TorchNative.InstallResolver();
}
