using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace A3.Runtime.Native;

/// <summary>Runs when A3.Runtime loads.</summary>
internal static class RuntimeModuleInitializer
{
    /// <summary>
    /// Loads the native backend before any code of this library can touch TorchSharp. TorchSharp's
    /// static constructor probes for libtorch with <c>NativeLibrary.TryLoad(name, assembly)</c>,
    /// which never consults a DLL import resolver; it succeeds only when our libraries are already
    /// loaded (glibc then matches the bare names by soname), and on failure it stays broken for the
    /// whole process. A failure here is not thrown: the next explicit
    /// <see cref="TorchNative.EnsureLoaded"/> repeats the attempt and reports it with its full message.
    /// </summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries", Justification = "TorchSharp cannot be initialised lazily on systems that need the patch; see the summary.")]
    internal static void Initialize()
    {
        try
        {
            TorchNative.EnsureLoaded();
        }
        catch (Exception exception) when (exception is TorchNativeException or PlatformNotSupportedException or IOException or InvalidDataException)
        {
            // Reported by the next explicit TorchNative.EnsureLoaded call.
        }
    }
}
