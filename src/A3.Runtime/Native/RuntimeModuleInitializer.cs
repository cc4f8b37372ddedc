using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace A3.Runtime.Native;

/// <summary>Runs when A3.Runtime loads.</summary>
internal static class RuntimeModuleInitializer
{
    private const string TorchSharpAssemblyName = "TorchSharp";

    /// <summary>
    /// Arranges for the native backend to load before any code can touch TorchSharp. TorchSharp's
    /// static constructor probes for libtorch with <c>NativeLibrary.TryLoad(name, assembly)</c>,
    /// which never consults a DLL import resolver; it succeeds only when our libraries are already
    /// loaded (glibc then matches the bare names by soname), and on failure it stays broken for the
    /// whole process. No TorchSharp code runs before its assembly has loaded, and the load raises
    /// <see cref="AppDomain.AssemblyLoad"/> first, so loading libtorch there is early enough, and
    /// work that never touches TorchSharp (a cache hit, recipe validation) never pays the half
    /// second libtorch takes to load.
    /// </summary>
    [ModuleInitializer]
    [SuppressMessage("Usage", "CA2255:The 'ModuleInitializer' attribute should not be used in libraries", Justification = "TorchSharp cannot be initialised lazily on systems that need the patch; see the summary.")]
    internal static void Initialize()
    {
        AppDomain.CurrentDomain.AssemblyLoad += OnAssemblyLoad;
        if (AppDomain.CurrentDomain.GetAssemblies().Any(IsTorchSharp))
        {
            LoadNativeBackend();
        }
    }

    private static void OnAssemblyLoad(object? sender, AssemblyLoadEventArgs args)
    {
        if (IsTorchSharp(args.LoadedAssembly))
        {
            AppDomain.CurrentDomain.AssemblyLoad -= OnAssemblyLoad;
            LoadNativeBackend();
        }
    }

    private static bool IsTorchSharp(Assembly assembly) => assembly.GetName().Name == TorchSharpAssemblyName;

    private static void LoadNativeBackend()
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
